package dev.acmesmime.rfc8823;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * The challenge mail of the CA role (RFC 8823 §3.1, checklist C1–C16 and §6.2 step 8), composed
 * as bytes ready to be DKIM-signed with the D2 header list and sent.
 * <p>
 * What it writes: {@code Auto-Submitted: auto-generated; type=acme} (C12, C13), Date, a new
 * Message-ID, From (C9), To = the identifier only (C10; never Cc, X8), an optional Reply-To (C11),
 * {@code Subject: ACME: <token-part1>} in US-ASCII (C3, C4, C8), MIME-Version, and a human-readable
 * {@code text/plain; charset=us-ascii} 7bit body (C16), all with CRLF line endings. Without an
 * explicit token-part1 a fresh one comes from {@link TokenPart1#generate(SecureRandom)} (C1, C2).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.1">RFC 8823 §3.1</a>
 */
public final class ChallengeMail {

    private final String tokenPart1;
    private final String messageId;
    private final byte[] bytes;

    private ChallengeMail(String tokenPart1, String messageId, byte[] bytes) {
        this.tokenPart1 = tokenPart1;
        this.messageId = messageId;
        this.bytes = bytes;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The message, US-ASCII with CRLF line endings. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    public String asString() {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** token-part1 as written in the Subject; keep it with the pending challenge. */
    public String tokenPart1() {
        return tokenPart1;
    }

    /** The Message-ID, angle brackets included. */
    public String messageId() {
        return messageId;
    }

    /** The default human-readable body (C16) for the given identifier. */
    public static String defaultBody(String identifier) {
        return "This is an automatically generated ACME challenge for email address\r\n"
                + "\"" + identifier + "\". If you haven't requested an S/MIME certificate\r\n"
                + "for this email address, ignore this message and do not reply to it.\r\n"
                + "If you did request it, your email client or mail server may answer it\r\n"
                + "automatically, or you may have to paste the first token part (the text\r\n"
                + "after \"ACME:\" in the subject) into your ACME client.\r\n";
    }

    /** Builder; setters check their argument at once. Do not reuse after {@link #build()}. */
    public static final class Builder {
        private String from;
        private String to;
        private String replyTo;
        private String tokenPart1;
        private String messageId;
        private String body;
        private ZonedDateTime date;
        private Clock clock = Clock.systemDefaultZone();
        private SecureRandom random;

        private Builder() {
        }

        /** From: the challenge object's {@code from} (C9). */
        public Builder from(String address) {
            this.from = MailWriter.address(address, "from");
            return this;
        }

        /** To: the identifier being validated (C10). */
        public Builder to(String identifier) {
            this.to = MailWriter.address(identifier, "to");
            return this;
        }

        /** Reply-To: where responses should go (C11, R4). */
        public Builder replyTo(String address) {
            this.replyTo = MailWriter.address(address, "replyTo");
            return this;
        }

        /**
         * A token-part1 chosen by the caller; it must be base64url and decode to at least 128 bits (C2, C4).
         * Without it, {@link #build()} generates one.
         */
        public Builder tokenPart1(String tokenPart1) {
            byte[] b = Base64Url.decode(Objects.requireNonNull(tokenPart1, "tokenPart1"));
            if (b == null || b.length < TokenPart1.MIN_DECODED_BYTES) {
                throw new IllegalArgumentException("tokenPart1 must be base64url of at least 16 octets");
            }
            this.tokenPart1 = tokenPart1;
            return this;
        }

        public Builder messageId(String messageId) {
            this.messageId = MailWriter.messageId(Objects.requireNonNull(messageId, "messageId"), "messageId");
            return this;
        }

        /** A custom human-readable body, printable US-ASCII; line endings become CRLF. */
        public Builder body(String text) {
            this.body = Objects.requireNonNull(text, "text");
            return this;
        }

        public Builder date(ZonedDateTime date) {
            this.date = Objects.requireNonNull(date, "date");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The CSPRNG for token-part1 and the Message-ID (default: a new {@link SecureRandom}). */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /** @throws IllegalStateException when from or to is missing */
        public ChallengeMail build() {
            if (from == null || to == null) {
                throw new IllegalStateException("from and to are required");
            }
            SecureRandom rnd = random != null ? random : new SecureRandom();
            String t1 = tokenPart1 != null ? tokenPart1 : TokenPart1.generate(rnd);
            String id = messageId != null ? messageId : MailWriter.newMessageId(rnd, from);
            MailWriter w = new MailWriter()
                    .header("Auto-Submitted", "auto-generated; type=acme")
                    .header("Date", MailWriter.date(date != null ? date : ZonedDateTime.now(clock)))
                    .header("Message-ID", id)
                    .header("From", from)
                    .header("To", to);
            if (replyTo != null) {
                w.header("Reply-To", replyTo);
            }
            byte[] bytes = w.header("Subject", "ACME: " + MailWriter.spaced(t1, 60))
                    .header("MIME-Version", "1.0")
                    .header("Content-Type", "text/plain; charset=us-ascii")
                    .header("Content-Transfer-Encoding", "7bit")
                    .body(body != null ? body : defaultBody(to));
            return new ChallengeMail(t1, id, bytes);
        }
    }
}
