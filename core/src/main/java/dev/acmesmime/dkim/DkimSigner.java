package dev.acmesmime.dkim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.api.BodyHasher;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.PermFailException;

import dev.acmesmime.rfc8823.Addresses;
import dev.acmesmime.rfc8823.MessageKind;

/**
 * DKIM-signs the mails the plugin sends: responses on the organisation side (D6–D8), challenges
 * on the CA side (D1–D4).
 * <p>
 * The signature is what {@link DkimPolicyVerifier} demands and a little more: {@code a=rsa-sha256}
 * (RFC 8301), {@code c=relaxed/relaxed}, no {@code l=} (D13), {@code d=} the From domain as an
 * IDNA A-label (D4, D8), and {@code h=} naming the D2 (challenge) or D7 (response) fields, the D3
 * SHOULD fields, and From, To and Subject once more than they occur, absent fields included
 * (D9, D14; see {@link SignedFields#toSign(MessageKind)}). jDKIM 0.3 does the canonicalisation,
 * body hash and RSA signature. Keys under 2048 bits are refused (RFC 8301 §3.2).
 * <pre>{@code
 * DkimSigner signer = DkimSigner.builder()
 *         .privateKey(Path.of("/etc/james/dkim/acme.pem"))   // PKCS#8 or PKCS#1 PEM
 *         .selector("acme")
 *         .build();
 * byte[] signed = signer.sign(responseBytes, MessageKind.RESPONSE);
 * }</pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6376#section-5">RFC 6376 §5</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.2">RFC 8823 §3.2 item 9</a>
 */
public final class DkimSigner {

    /** Smallest RSA key this signer accepts: {@value} bits (RFC 8301 §3.2 "SHOULD use ... at least 2048"). */
    public static final int MIN_KEY_BITS = 2048;

    private static final Pattern SELECTOR = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
            + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final int LINE = 76;

    private final PrivateKey key;
    private final String selector;
    private final Clock clock;

    private DkimSigner(Builder b) {
        this.key = b.key;
        this.selector = b.selector;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String selector() {
        return selector;
    }

    /**
     * The message with a DKIM-Signature field prepended, in the message's own line endings.
     *
     * @throws IllegalArgumentException when the message has no single From mailbox to take
     *                                  {@code d=} from
     */
    public byte[] sign(byte[] rawMessage, MessageKind kind) {
        String field = signatureField(rawMessage, kind);
        String eol = MailBytes.usesCrlf(rawMessage) ? "\r\n" : "\n";
        byte[] head = (field.replace("\r\n", eol) + eol).getBytes(Charset.defaultCharset());
        byte[] out = new byte[head.length + rawMessage.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(rawMessage, 0, out, head.length, rawMessage.length);
        return out;
    }

    /** The DKIM-Signature field for the message, folded with CRLF, without a final line break. */
    public String signatureField(byte[] rawMessage, MessageKind kind) {
        Objects.requireNonNull(kind, "kind");
        MailBytes mail = MailBytes.parse(rawMessage);
        String domain = signingDomain(mail);
        String template = "v=1; a=rsa-sha256; c=relaxed/relaxed; d=" + domain + "; s=" + selector
                + "; t=" + clock.instant().getEpochSecond() + "; h=" + foldedNames(SignedFields.toSign(kind))
                + "; bh=; b=;";
        try {
            DKIMSigner signer = new DKIMSigner(template, key);
            SignatureRecord record = signer.newSignatureRecordTemplate(template);
            BodyHasher hasher = signer.newBodyHasher(record);
            try (OutputStream body = hasher.getOutputStream()) {
                mail.writeBody(body);
            }
            return fold(signer.sign(mail, hasher));
        } catch (PermFailException | IOException e) {
            throw new IllegalStateException("DKIM signing failed: " + e.getMessage(), e);
        }
    }

    private static String signingDomain(MailBytes mail) {
        List<String> from = mail.getFields("From");
        if (from.size() != 1) {
            throw new IllegalArgumentException("cannot DKIM-sign: the message has " + from.size() + " From fields");
        }
        // the address rules of the inspector (X20), so we sign only what we would accept
        List<String> boxes = Addresses.mailboxes(MailBytes.valueOf(from.get(0)));
        if (boxes.size() != 1) {
            throw new IllegalArgumentException("cannot DKIM-sign: From is not exactly one mailbox with a domain");
        }
        return Addresses.aLabel(Addresses.domainOf(boxes.get(0)))
                .orElseThrow(() -> new IllegalArgumentException("cannot DKIM-sign: From domain is not a valid domain name"));
    }

    /** The h= value, folded after colons; RFC 6376 §3.5 allows FWS there and signs it as written. */
    private static String foldedNames(List<String> names) {
        StringBuilder sb = new StringBuilder();
        int column = 3;
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            if (i > 0) {
                sb.append(':');
                column++;
                if (column + n.length() > LINE) {
                    sb.append("\r\n ");
                    column = 1;
                }
            }
            sb.append(n);
            column += n.length();
        }
        return sb.toString();
    }

    /**
     * Folds jDKIM's one-line field: before the space that starts each tag (relaxed header
     * canonicalisation turns the fold back into that space, so the signature still holds) and
     * inside {@code b=}, whose value is left out of the signed data and whose white space is
     * ignored when decoding (RFC 6376 §3.5).
     */
    private static String fold(String field) {
        int colon = field.indexOf(':');
        StringBuilder out = new StringBuilder(field.length() + 64).append(field, 0, colon + 1);
        int column = colon + 1;
        for (String spec : field.substring(colon + 1).split(";")) {
            if (spec.isBlank()) {
                continue;
            }
            String text = spec + ";";
            String tag = spec.strip();
            if (tag.startsWith("b=")) {
                String value = tag.substring(2);
                out.append("\r\n b=");
                column = 3;
                for (int i = 0; i < value.length(); i += LINE - 3) {
                    if (i > 0) {
                        out.append("\r\n ");
                        column = 1;
                    }
                    String chunk = value.substring(i, Math.min(value.length(), i + LINE - 3));
                    out.append(chunk);
                    column += chunk.length();
                }
                out.append(';');
                column++;
                continue;
            }
            int firstLine = text.indexOf("\r\n");
            int width = firstLine < 0 ? text.length() : firstLine;
            if (column + width > LINE && column > 1) {
                out.append("\r\n");
                column = 0;
            }
            out.append(text);
            int lastLine = text.lastIndexOf("\r\n");
            column = lastLine < 0 ? column + text.length() : text.length() - lastLine - 2;
        }
        return out.toString();
    }

    /** Options of {@link DkimSigner}. Do not reuse after {@link #build()}. */
    public static final class Builder {
        private PrivateKey key;
        private String selector;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The RSA signing key, at least {@value DkimSigner#MIN_KEY_BITS} bits.
         *
         * @throws IllegalArgumentException for a non-RSA or smaller key
         */
        public Builder privateKey(PrivateKey key) {
            if (!(key instanceof RSAKey rsa)) {
                throw new IllegalArgumentException("DKIM signing key must be RSA, got "
                        + (key == null ? "null" : key.getAlgorithm()));
            }
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_KEY_BITS) {
                throw new IllegalArgumentException("DKIM signing key has " + bits + " bits; at least " + MIN_KEY_BITS
                        + " are required (RFC 8301 §3.2)");
            }
            this.key = key;
            return this;
        }

        /** Reads the key from a PEM file (PKCS#8 or PKCS#1, unencrypted); see {@link DkimKeys}. */
        public Builder privateKey(Path pemFile) throws IOException {
            return privateKey(DkimKeys.readPrivateKey(pemFile));
        }

        /** The {@code s=} selector: DNS labels, letters, digits and hyphens. */
        public Builder selector(String selector) {
            if (selector == null || !SELECTOR.matcher(selector).matches()) {
                throw new IllegalArgumentException("invalid DKIM selector: " + selector);
            }
            this.selector = selector.toLowerCase(Locale.ROOT);
            return this;
        }

        /** The clock for {@code t=}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public DkimSigner build() {
            if (key == null) {
                throw new IllegalStateException("a DKIM private key is required");
            }
            if (selector == null) {
                throw new IllegalStateException("a DKIM selector is required");
            }
            return new DkimSigner(this);
        }
    }
}
