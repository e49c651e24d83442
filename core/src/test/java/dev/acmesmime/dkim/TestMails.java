package dev.acmesmime.dkim;

import java.nio.charset.StandardCharsets;

/** RFC 8823 challenge and response mails as a CA and a user agent would send them, CRLF. */
final class TestMails {

    static final String TOKEN1 = "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME";

    private TestMails() {
    }

    static byte[] challenge(String from, String to) {
        return crlf("From: ACME CA <" + from + ">\n"
                + "To: " + to + "\n"
                + "Subject: ACME: " + TOKEN1 + "\n"
                + "Date: Sat, 28 Nov 2026 10:00:00 +0000\n"
                + "Message-ID: <challenge-1@" + from.substring(from.indexOf('@') + 1) + ">\n"
                + "Auto-Submitted: auto-generated; type=acme\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=us-ascii\n"
                + "Content-Transfer-Encoding: 7bit\n"
                + "\n"
                + "This is an automatically generated ACME challenge for email address\n"
                + "\"" + to + "\". If you haven't requested an S/MIME certificate\n"
                + "with this email address, you can ignore this message.\n");
    }

    static byte[] response(String from, String to) {
        return crlf("From: " + from + "\n"
                + "To: " + to + "\n"
                + "Subject: Re: ACME: " + TOKEN1 + "\n"
                + "Date: Sat, 28 Nov 2026 10:01:00 +0000\n"
                + "Message-ID: <response-1@" + from.substring(from.indexOf('@') + 1) + ">\n"
                + "In-Reply-To: <challenge-1@ca.test>\n"
                + "References: <challenge-1@ca.test>\n"
                + "Auto-Submitted: auto-replied\n"
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=us-ascii\n"
                + "Content-Transfer-Encoding: 7bit\n"
                + "\n"
                + "-----BEGIN ACME RESPONSE-----\n"
                + "LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0\n"
                + "-----END ACME RESPONSE-----\n");
    }

    static byte[] crlf(String lfText) {
        return lfText.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] mail) {
        return new String(mail, StandardCharsets.UTF_8);
    }

    static byte[] bytes(String mail) {
        return mail.getBytes(StandardCharsets.UTF_8);
    }
}
