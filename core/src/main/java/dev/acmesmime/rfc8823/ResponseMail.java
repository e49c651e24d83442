package dev.acmesmime.rfc8823;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * The response mail of the organisation role (RFC 8823 §3.2, checklist R1–R18 and §6.1 step 8),
 * composed as bytes ready to be DKIM-signed (D6, D7) and sent.
 * <p>
 * What it writes:
 * <pre>
 * From: &lt;identifier&gt;                       (R3)
 * To: &lt;challenge Reply-To, else From&gt;       (R4)
 * Subject: Re: ACME: &lt;token-part1&gt;          (R1; US-ASCII, token exactly as received)
 * Date, Message-ID                           (new)
 * In-Reply-To, References: &lt;challenge Message-ID&gt;   (R6, RFC 5322 §3.6.4)
 * Auto-Submitted: auto-replied               (R18, RFC 3834 §5)
 * MIME-Version: 1.0
 * Content-Type: text/plain; charset=us-ascii (R8)
 * Content-Transfer-Encoding: 7bit            (R14)
 *
 * -----BEGIN ACME RESPONSE-----
 * &lt;base64url digest, 43 characters&gt;
 * -----END ACME RESPONSE-----
 * </pre>
 * with CRLF line endings throughout (R10) and no List-* field (R7).
 *
 * <pre>{@code
 * Verdict challenge = inspector.inspectChallenge(raw, expectations);
 * if (challenge.valid()) {
 *     byte[] reply = ResponseMail.answering(challenge, tokenPart2, JwkThumbprint.of(accountKey)).build().toByteArray();
 * }
 * }</pre>
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.2">RFC 8823 §3.2</a>
 */
public final class ResponseMail {

    private final String from;
    private final String to;
    private final String messageId;
    private final String digest;
    private final byte[] bytes;

    private ResponseMail(String from, String to, String messageId, String digest, byte[] bytes) {
        this.from = from;
        this.to = to;
        this.messageId = messageId;
        this.digest = digest;
        this.bytes = bytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder filled from an inspected challenge: From = the challenge To (the identifier),
     * To = its Reply-To else From (R4), token-part1 as received, In-Reply-To/References = its
     * Message-ID when that is a well-formed msg-id, and the digest of the key authorization.
     * Does not judge the verdict: check {@link Verdict#valid()} first.
     *
     * @param challenge   a verdict of kind {@link MessageKind#CHALLENGE} with a token-part1
     * @param tokenPart2  the {@code token} of the ACME challenge object
     * @param thumbprint  base64url RFC 7638 thumbprint of the ACME account key
     * @throws IllegalArgumentException when the verdict is no challenge or lacks token-part1, From or To
     */
    public static Builder answering(Verdict challenge, String tokenPart2, String thumbprint) {
        Objects.requireNonNull(challenge, "challenge");
        if (challenge.kind() != MessageKind.CHALLENGE) {
            throw new IllegalArgumentException("not a challenge verdict: " + challenge.kind().label());
        }
        ExtractedValues v = challenge.values();
        if (v.tokenPart1() == null || v.from() == null || v.to() == null) {
            throw new IllegalArgumentException("challenge verdict lacks token-part1, From or To");
        }
        Builder b = builder()
                .from(v.to())
                .to(v.responseRecipient().orElseThrow())
                .tokenPart1(v.tokenPart1())
                .keyAuthorization(tokenPart2, thumbprint);
        String id = MailWriter.firstMessageId(v.messageId());
        if (id != null) {
            b.inReplyTo(id);
        }
        return b;
    }

    /** The message, US-ASCII with CRLF line endings. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** The message as a string (US-ASCII). */
    public String asString() {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** The envelope sender candidate and From address (the identifier). */
    public String from() {
        return from;
    }

    /** The single recipient, also the envelope recipient (X21). */
    public String to() {
        return to;
    }

    /** The new Message-ID, angle brackets included. */
    public String messageId() {
        return messageId;
    }

    /** The digest written in the body. */
    public String digest() {
        return digest;
    }

    /** Builder; setters check their argument at once. Do not reuse after {@link #build()}. */
    public static final class Builder {
        private String from;
        private String to;
        private String tokenPart1;
        private String digest;
        private String tokenPart2;
        private String thumbprint;
        private String inReplyTo;
        private String messageId;
        private ZonedDateTime date;
        private Clock clock = Clock.systemDefaultZone();
        private SecureRandom random;

        private Builder() {
        }

        /** From: the identifier being validated (R3). */
        public Builder from(String identifier) {
            this.from = MailWriter.address(identifier, "from");
            return this;
        }

        /** To: the challenge's Reply-To if it had one, else its From (R4). */
        public Builder to(String address) {
            this.to = MailWriter.address(address, "to");
            return this;
        }

        /** token-part1 exactly as received in the challenge Subject (padding kept, X1). */
        public Builder tokenPart1(String tokenPart1) {
            byte[] b = Base64Url.decode(Objects.requireNonNull(tokenPart1, "tokenPart1"));
            if (b == null) {
                throw new IllegalArgumentException("tokenPart1 must be base64url, got " + Untrusted.quote(tokenPart1));
            }
            this.tokenPart1 = tokenPart1;
            return this;
        }

        /** The digest to send, if computed elsewhere; otherwise use {@link #keyAuthorization}. */
        public Builder digest(String digest) {
            byte[] b = Base64Url.decode(Objects.requireNonNull(digest, "digest"));
            if (b == null || b.length != 32) {
                throw new IllegalArgumentException("digest must be base64url of 32 octets");
            }
            this.digest = digest;
            return this;
        }

        /** Computes the digest from token-part2 and the account key thumbprint (string concatenation, X2). */
        public Builder keyAuthorization(String tokenPart2, String thumbprint) {
            this.tokenPart2 = Objects.requireNonNull(tokenPart2, "tokenPart2");
            this.thumbprint = Objects.requireNonNull(thumbprint, "thumbprint");
            return this;
        }

        /** The challenge's Message-ID, written to In-Reply-To and References (R6). */
        public Builder inReplyTo(String challengeMessageId) {
            this.inReplyTo = MailWriter.messageId(Objects.requireNonNull(challengeMessageId, "challengeMessageId"), "inReplyTo");
            return this;
        }

        /** A fixed Message-ID instead of a random one at the From domain. */
        public Builder messageId(String messageId) {
            this.messageId = MailWriter.messageId(Objects.requireNonNull(messageId, "messageId"), "messageId");
            return this;
        }

        /** A fixed Date instead of now from the clock. */
        public Builder date(ZonedDateTime date) {
            this.date = Objects.requireNonNull(date, "date");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The randomness for the Message-ID (default: a new {@link SecureRandom}). */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * @throws IllegalStateException when from, to, tokenPart1 or the digest inputs are missing
         */
        public ResponseMail build() {
            if (from == null || to == null || tokenPart1 == null) {
                throw new IllegalStateException("from, to and tokenPart1 are required");
            }
            String d = digest;
            if (d == null) {
                if (tokenPart2 == null) {
                    throw new IllegalStateException("digest or keyAuthorization(tokenPart2, thumbprint) is required");
                }
                d = KeyAuthorization.digest(tokenPart1, tokenPart2, thumbprint);
            }
            String id = messageId != null ? messageId
                    : MailWriter.newMessageId(random != null ? random : new SecureRandom(), from);
            MailWriter w = new MailWriter()
                    .header("From", from)
                    .header("To", to)
                    .header("Subject", "Re: ACME: " + MailWriter.spaced(tokenPart1, 60))
                    .header("Date", MailWriter.date(date != null ? date : ZonedDateTime.now(clock)))
                    .header("Message-ID", id);
            if (inReplyTo != null) {
                w.header("In-Reply-To", inReplyTo).header("References", inReplyTo);
            }
            byte[] bytes = w.header("Auto-Submitted", "auto-replied")
                    .header("MIME-Version", "1.0")
                    .header("Content-Type", "text/plain; charset=us-ascii")
                    .header("Content-Transfer-Encoding", "7bit")
                    .body(ResponseBody.BEGIN + "\r\n" + d + "\r\n" + ResponseBody.END + "\r\n");
            return new ResponseMail(from, to, id, d, bytes);
        }
    }
}
