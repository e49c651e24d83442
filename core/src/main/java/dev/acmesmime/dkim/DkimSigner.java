package dev.acmesmime.dkim;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.RSAKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

import org.apache.james.jdkim.DKIMSigner;
import org.apache.james.jdkim.api.BodyHasher;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.impl.BodyHasherImpl;

import dev.acmesmime.rfc8823.Addresses;
import dev.acmesmime.rfc8823.MessageKind;

/**
 * DKIM-signs the mails the plugin sends: responses on the organisation side (D6–D8), challenges
 * on the CA side (D1–D4).
 * <p>
 * The signature is what {@link DkimPolicyVerifier} demands and a little more: {@code a=rsa-sha256}
 * (RFC 8301) or {@code a=ed25519-sha256} (RFC 8463), {@code c=relaxed/relaxed}, no {@code l=}
 * (D13), {@code d=} the From domain as an IDNA A-label (D4, D8), and {@code h=} naming the D2
 * (challenge) or D7 (response) fields, the D3 SHOULD fields, and From, To and Subject once more than
 * they occur, absent fields included (D9, D14; see {@link SignedFields#toSign(MessageKind)}).
 * jDKIM 0.3 does the canonicalisation, body hash and RSA signature; for Ed25519 the JDK signs the
 * hash of jDKIM's canonicalised header ({@link Ed25519Sha256}). RSA keys under 2048 bits are
 * refused (RFC 8301 §3.2).
 * <p>
 * The key is RSA or Ed25519. With an RSA key, an Ed25519 key under its own selector may be added
 * ({@link Builder#ed25519Key(PrivateKey, String)}): each mail then gets both signatures, RSA first,
 * as RFC 8463 §4 recommends while verifiers without Ed25519 remain (James's own jDKIM among them);
 * a verifier needs only one of them to pass.
 * <pre>{@code
 * DkimSigner signer = DkimSigner.builder()
 *         .privateKey(Path.of("/etc/james/dkim/acme.pem"))   // PKCS#8 or PKCS#1 PEM, RSA or Ed25519
 *         .selector("acme")
 *         .ed25519Key(Path.of("/etc/james/dkim/acme-ed.pem"), "acme-ed")   // optional, next to RSA
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

    private final PrivateKey key;
    private final String selector;
    private final PrivateKey ed25519Key;
    private final String ed25519Selector;
    private final Clock clock;

    private DkimSigner(Builder b) {
        this.key = b.key;
        this.selector = b.selector;
        this.ed25519Key = b.ed25519Key;
        this.ed25519Selector = b.ed25519Selector;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The selector of the first signature. */
    public String selector() {
        return selector;
    }

    /** The {@code a=} of each signature this signer adds, in order. */
    public List<String> algorithms() {
        List<String> a = new ArrayList<>(List.of(algorithm(key)));
        if (ed25519Key != null) {
            a.add(Ed25519Sha256.ALGORITHM);
        }
        return List.copyOf(a);
    }

    /**
     * The message with its DKIM-Signature fields prepended (one per key, in the order of
     * {@link #algorithms()}), in the message's own line endings.
     *
     * @throws IllegalArgumentException when the message has no single From mailbox to take
     *                                  {@code d=} from
     */
    public byte[] sign(byte[] rawMessage, MessageKind kind) {
        String eol = MailBytes.usesCrlf(rawMessage) ? "\r\n" : "\n";
        StringBuilder fields = new StringBuilder();
        for (String field : signatureFields(rawMessage, kind)) {
            fields.append(field.replace("\r\n", eol)).append(eol);
        }
        byte[] head = fields.toString().getBytes(Charset.defaultCharset());
        byte[] out = new byte[head.length + rawMessage.length];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(rawMessage, 0, out, head.length, rawMessage.length);
        return out;
    }

    /** The first DKIM-Signature field for the message, folded with CRLF, without a final line break. */
    public String signatureField(byte[] rawMessage, MessageKind kind) {
        return signatureFields(rawMessage, kind).get(0);
    }

    /** The DKIM-Signature fields for the message, one per key, each as {@link #signatureField}. */
    public List<String> signatureFields(byte[] rawMessage, MessageKind kind) {
        Objects.requireNonNull(kind, "kind");
        MailBytes mail = MailBytes.parse(rawMessage);
        String domain = signingDomain(mail);
        long now = clock.instant().getEpochSecond();
        List<String> fields = new ArrayList<>(2);
        fields.add(signatureField(mail, kind, domain, now, key, selector));
        if (ed25519Key != null) {
            fields.add(signatureField(mail, kind, domain, now, ed25519Key, ed25519Selector));
        }
        return fields;
    }

    private static String signatureField(MailBytes mail, MessageKind kind, String domain, long now, PrivateKey key,
                                         String selector) {
        String template = "v=1; a=" + algorithm(key) + "; c=relaxed/relaxed; d=" + domain + "; s=" + selector
                + "; t=" + now + "; h=" + FieldFolding.names(SignedFields.toSign(kind)) + "; bh=; b=;";
        try {
            DKIMSigner signer = new DKIMSigner(template, key);
            SignatureRecord record = signer.newSignatureRecordTemplate(template);
            BodyHasher hasher = signer.newBodyHasher(record);
            try (OutputStream body = hasher.getOutputStream()) {
                mail.writeBody(body);
            }
            if (DkimKeys.isEd25519(key)) {
                BodyHasherImpl body = (BodyHasherImpl) hasher;
                record.setBodyHash(body.getDigest());
                return FieldFolding.fold(Ed25519Sha256.sign(mail, record, key));
            }
            return FieldFolding.fold(signer.sign(mail, hasher));
        } catch (PermFailException | IOException e) {
            throw new IllegalStateException("DKIM signing failed: " + e.getMessage(), e);
        }
    }

    private static String algorithm(PrivateKey key) {
        return DkimKeys.isEd25519(key) ? Ed25519Sha256.ALGORITHM : "rsa-sha256";
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

    /** Options of {@link DkimSigner}. Do not reuse after {@link #build()}. */
    public static final class Builder {
        private PrivateKey key;
        private String selector;
        private PrivateKey ed25519Key;
        private String ed25519Selector;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The signing key: Ed25519, or RSA of at least {@value DkimSigner#MIN_KEY_BITS} bits.
         *
         * @throws IllegalArgumentException for another or a smaller key
         */
        public Builder privateKey(PrivateKey key) {
            if (DkimKeys.isEd25519(key)) {
                this.key = key;
                return this;
            }
            if (!(key instanceof RSAKey rsa)) {
                throw new IllegalArgumentException("DKIM signing key must be RSA or Ed25519, got "
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

        /** The {@code s=} selector of {@link #privateKey}: DNS labels, letters, digits and hyphens. */
        public Builder selector(String selector) {
            this.selector = checkedSelector(selector);
            return this;
        }

        /**
         * An Ed25519 key signing next to the RSA key of {@link #privateKey}, under its own selector
         * (a DNS key record holds one key type).
         *
         * @throws IllegalArgumentException when the key is not Ed25519 or the selector is invalid
         */
        public Builder ed25519Key(PrivateKey key, String selector) {
            if (!DkimKeys.isEd25519(key)) {
                throw new IllegalArgumentException("the second DKIM key must be Ed25519, got "
                        + (key == null ? "null" : key.getAlgorithm()));
            }
            this.ed25519Key = key;
            this.ed25519Selector = checkedSelector(selector);
            return this;
        }

        /** {@link #ed25519Key(PrivateKey, String)} read from a PKCS#8 PEM file. */
        public Builder ed25519Key(Path pemFile, String selector) throws IOException {
            return ed25519Key(DkimKeys.readPrivateKey(pemFile), selector);
        }

        private static String checkedSelector(String selector) {
            if (selector == null || !SELECTOR.matcher(selector).matches()) {
                throw new IllegalArgumentException("invalid DKIM selector: " + selector);
            }
            return selector.toLowerCase(Locale.ROOT);
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
            if (ed25519Key != null && DkimKeys.isEd25519(key)) {
                throw new IllegalStateException("the second DKIM key goes next to an RSA key; the first is Ed25519 already");
            }
            if (ed25519Key != null && ed25519Selector.equals(selector)) {
                throw new IllegalStateException("the Ed25519 key needs a selector of its own, not " + selector);
            }
            return new DkimSigner(this);
        }
    }
}
