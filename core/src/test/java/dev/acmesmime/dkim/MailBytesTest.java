package dev.acmesmime.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link MailBytes} splits a message as the plain line-by-line reading of RFC 5322 §2.2 and
 * RFC 6376 §3.4 would: the reference below reads it that way, one line at a time, and the parser
 * (which searches instead of reading line by line) must agree with it on every input.
 */
class MailBytesTest {

    /** The split the DKIM rules expect, computed the slow and obvious way. */
    private record Split(List<String> fields, byte[] body) {
    }

    private static Split reference(byte[] raw) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) {
                sb.append('\r');
            }
            sb.append((char) (raw[i] & 0xff));
        }
        byte[] crlf = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        String text = sb.toString();
        int headerLimit;
        int bodyStart;
        if (text.startsWith("\r\n")) {
            headerLimit = 0;
            bodyStart = 2;
        } else {
            int blank = text.indexOf("\r\n\r\n");
            headerLimit = blank < 0 ? crlf.length : blank;
            bodyStart = blank < 0 ? crlf.length : blank + 4;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder current = null;
        int lineStart = 0;
        while (lineStart < headerLimit) {
            int lineEnd = text.indexOf("\r\n", lineStart);
            if (lineEnd < 0 || lineEnd + 2 > headerLimit) {
                lineEnd = headerLimit;
            }
            String line = new String(crlf, lineStart, lineEnd - lineStart, Charset.defaultCharset());
            if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
                current.append("\r\n").append(line);
            } else {
                if (current != null) {
                    fields.add(current.toString());
                }
                current = new StringBuilder(line);
            }
            lineStart = lineEnd + 2;
        }
        if (current != null) {
            fields.add(current.toString());
        }
        byte[] body = Arrays.copyOfRange(crlf, bodyStart, crlf.length);
        if (body.length > 0 && body[body.length - 1] == '\r') {
            // RFC 6376 §3.4.3/§3.4.4: a body that does not end with CRLF gets one; a final CR is content
            body = Arrays.copyOf(body, body.length + 2);
            body[body.length - 2] = '\r';
            body[body.length - 1] = '\n';
        }
        return new Split(fields, body);
    }

    private static void assertSameAsReference(byte[] raw) throws IOException {
        Split expected = reference(raw);
        MailBytes mail = MailBytes.parse(raw);
        assertThat(mail.getFields()).as("fields of %s", printable(raw)).isEqualTo(expected.fields());
        try (InputStream body = mail.body()) {
            assertThat(body.readAllBytes()).as("body of %s", printable(raw)).isEqualTo(expected.body());
        }
        for (String f : expected.fields()) {
            String name = MailBytes.nameOf(f);
            List<String> same = expected.fields().stream().filter(g -> MailBytes.nameOf(g).equalsIgnoreCase(name)).toList();
            assertThat(mail.getFields(name.toUpperCase())).isEqualTo(same);
        }
    }

    private static String printable(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "\r\n", "\n", "\r\n\r\n", "A: b", "A: b\r\n", "A: b\r\n\r\n", "A: b\r\n\r\nbody", "A: b\nB: c\n\nbody\n",
        "A: b\r\n c\r\n\td\r\nB: e\r\n\r\nx\r\n\r\n", " lead: x\r\nA: b\r\n\r\n", "A: b\r\r\n\r\nbody", "A: b\r",
        "A: b\r\n \r\n\r\n", "A: b\r\n\r\n\r\n", "A:\r\n\r\n", "no colon\r\n\r\nbody", "A: b\n\r\nc", "A: b\r\n\nc",
        "A: b\r\n c\r", "DKIM-Signature: v=1;\r\n\th=from:to;\r\n\tb=abc\r\nFrom: x@y\r\n\r\nHi\r\n"})
    void x12_splitsAsTheLineByLineReadingDoes(String text) throws IOException {
        assertSameAsReference(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** A field name ends at WSP only; U+001C, which {@code String.strip} also removes, stays part of it. */
    @Test
    void d21_aFieldNameEndsAtWspOnly() {
        assertThat(MailBytes.nameOf("Subject \t: x")).isEqualTo("Subject");
        assertThat(MailBytes.nameOf("Subject\u001c: x")).isEqualTo("Subject\u001c");
        assertThat(MailBytes.parse("Subject\u001c: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)).getFields("subject"))
                .isEmpty();
    }

    /** The control character at either end of a value, WSP and folding set aside (D21); -1 when there is none. */
    @Test
    void d21_findsAControlCharacterAtEitherEndOfAValue() {
        assertThat(MailBytes.controlAtEnds("Subject: ACME: x\u001c")).isEqualTo(0x1c);
        assertThat(MailBytes.controlAtEnds("Subject: ACME: x\u001c \r\n\t")).isEqualTo(0x1c);
        assertThat(MailBytes.controlAtEnds("Subject:\r\n \u000b ACME: x")).isEqualTo(0x0b);
        assertThat(MailBytes.controlAtEnds("Subject: ACME: x\r")).isEqualTo('\r');
        assertThat(MailBytes.controlAtEnds("Subject: \tACME:\u0001x\r\n y \t")).isEqualTo(-1);
        assertThat(MailBytes.controlAtEnds("Subject: \r\n\t")).isEqualTo(-1);
        assertThat(MailBytes.controlAtEnds("Subject")).isEqualTo(-1);
    }

    @Test
    void x12_splitsUtf8FieldsAsTheLineByLineReadingDoes() throws IOException {
        assertSameAsReference("Subject: caf\u00e9\r\n \u00fcber\r\nTo: a@b\r\n\r\n\u00e9t\u00e9\r\n".getBytes(StandardCharsets.UTF_8));
        // a multi-byte sequence cut by a folding line break
        assertSameAsReference(new byte[] {'S', ':', ' ', (byte) 0xc3, '\r', '\n', ' ', (byte) 0xa9, '\r', '\n', '\r', '\n', 'b'});
    }

    @Test
    void x12_splitsRandomMessagesAsTheLineByLineReadingDoes() throws IOException {
        byte[] alphabet = {'a', 'B', ':', ' ', '\t', '\r', '\n', '\n', '\r', (byte) 0xc3, (byte) 0xa9, '-'};
        Random random = new Random(8823);
        for (int i = 0; i < 5000; i++) {
            byte[] raw = new byte[random.nextInt(60)];
            for (int k = 0; k < raw.length; k++) {
                raw[k] = alphabet[random.nextInt(alphabet.length)];
            }
            assertSameAsReference(raw);
        }
    }

    @Test
    void x12_splitsTheTestMailsAsTheLineByLineReadingDoes() throws IOException {
        assertSameAsReference(TestMails.challenge("acme@ca.test", "user@example.test"));
        assertSameAsReference(TestMails.response("user@example.test", "acme@ca.test"));
        assertSameAsReference(TestMails.text(TestMails.response("user@example.test", "acme@ca.test"))
                .replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
    }
}
