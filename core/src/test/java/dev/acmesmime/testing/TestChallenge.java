package dev.acmesmime.testing;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * RFC 8823 challenge mails (Figure 1 shape, CRLF) for tests of the organisation role. Unsigned;
 * sign them with {@code DkimSigner} ({@code MessageKind.CHALLENGE}) or {@link Dkimpy}.
 */
public final class TestChallenge {

    private static final SecureRandom RANDOM = new SecureRandom();

    private String from = "acme@ca.test";
    private String to = "alice@org.test";
    private String cc;
    private String replyTo;
    private String token = newToken();
    private String subject;
    private String messageId;
    private String autoSubmitted = "auto-generated; type=acme";

    private TestChallenge() {
    }

    public static TestChallenge builder() {
        return new TestChallenge();
    }

    /** 32 random bytes, base64url without padding (checklist §6.2 step 8). */
    public static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public TestChallenge from(String from) {
        this.from = from;
        return this;
    }

    public TestChallenge to(String to) {
        this.to = to;
        return this;
    }

    public TestChallenge cc(String cc) {
        this.cc = cc;
        return this;
    }

    public TestChallenge replyTo(String replyTo) {
        this.replyTo = replyTo;
        return this;
    }

    public TestChallenge token(String token) {
        this.token = token;
        return this;
    }

    /** A whole Subject instead of {@code ACME: <token>}. */
    public TestChallenge subject(String subject) {
        this.subject = subject;
        return this;
    }

    public TestChallenge messageId(String messageId) {
        this.messageId = messageId;
        return this;
    }

    /** {@code null} leaves the field out. */
    public TestChallenge autoSubmitted(String value) {
        this.autoSubmitted = value;
        return this;
    }

    public String token() {
        return token;
    }

    public byte[] build() {
        String id = messageId != null ? messageId : "<" + newToken().substring(0, 20) + "@" + from.substring(from.indexOf('@') + 1) + ">";
        StringBuilder s = new StringBuilder()
                .append("From: ACME CA <").append(from).append(">\r\n")
                .append("To: ").append(to).append("\r\n");
        if (cc != null) {
            s.append("Cc: ").append(cc).append("\r\n");
        }
        if (replyTo != null) {
            s.append("Reply-To: ").append(replyTo).append("\r\n");
        }
        s.append("Subject: ").append(subject != null ? subject : "ACME: " + token).append("\r\n")
                .append("Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n")
                .append("Message-ID: ").append(id).append("\r\n");
        if (autoSubmitted != null) {
            s.append("Auto-Submitted: ").append(autoSubmitted).append("\r\n");
        }
        s.append("MIME-Version: 1.0\r\n")
                .append("Content-Type: text/plain; charset=us-ascii\r\n")
                .append("Content-Transfer-Encoding: 7bit\r\n")
                .append("\r\n")
                .append("This is an automatically generated ACME challenge for email address\r\n")
                .append("\"").append(to).append("\". If you haven't requested an S/MIME certificate\r\n")
                .append("for this address, you can ignore this message.\r\n");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }
}
