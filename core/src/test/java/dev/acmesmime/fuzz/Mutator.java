package dev.acmesmime.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Turns the fuzzer's choices ({@link Choices}) into a mail: a seed from the corpus, then up to eight edits the bytes choose
 * (flip, insert, delete, overwrite, repeat a run, insert a header line, duplicate or drop a line, change
 * case, splice another seed), or, for one choice of the first byte, the bytes themselves as the mail. The
 * fuzzer's coverage feedback steers these choices as it would steer raw bytes, while every input stays
 * near a real mail of the corpus. Inputs are capped at {@value #MAX_SIZE} octets.
 */
public final class Mutator {

    static final int MAX_SIZE = 96 * 1024;
    private static final byte[][] HEADER_LINES = lines(
            "From: mallory@evil.test\r\n", "To: acme+t2@ca.test\r\n", "Subject: ACME: x\r\n",
            "Subject: Re: ACME: =?utf-8?B?QUNNRTog?=\r\n", "Auto-Submitted: auto-generated; type=acme\r\n",
            "Reply-To: <>\r\n", "Message-ID: <a@b>\r\n", "In-Reply-To: <<<>>>\r\n",
            "Content-Type: multipart/mixed; boundary=\"b\"\r\n", "Content-Transfer-Encoding: base64\r\n",
            "DKIM-Signature: v=1; a=rsa-sha256; d=org.test; s=s; h=from; bh=; b=\r\n", "List-Id: x\r\n",
            "Sender: a@org.test\r\n", "\tfolded continuation\r\n", "X: " + "=?utf-8?Q?=41?= ".repeat(40) + "\r\n",
            "-----BEGIN ACME RESPONSE-----\r\n", "-----END ACME RESPONSE-----\r\n", "--b\r\n", "\r\n");

    private Mutator() {
    }

    /** The mail the choices describe, built on one of {@code seeds}. */
    public static byte[] mail(Choices data, List<byte[]> seeds) {
        int choice = data.number(0, seeds.size());
        if (choice == seeds.size()) {
            return data.rest();
        }
        byte[] mail = seeds.get(choice);
        for (int edits = data.number(0, 8); edits > 0 && !data.exhausted(); edits--) {
            mail = edit(mail, data, seeds);
            if (mail.length > MAX_SIZE) {
                mail = Arrays.copyOf(mail, MAX_SIZE);
            }
        }
        return mail;
    }

    private static byte[] edit(byte[] m, Choices data, List<byte[]> seeds) {
        int at = m.length == 0 ? 0 : data.number(0, m.length);
        return switch (data.number(0, 9)) {
            case 0 -> flip(m, at, (byte) data.number(1, 255));
            case 1 -> insert(m, at, data.bytes(data.number(1, 64)));
            case 2 -> splice(m, at, Math.min(m.length, at + data.number(1, 256)), new byte[0]);
            case 3 -> splice(m, at, Math.min(m.length, at + data.number(1, 16)), data.bytes(16));
            case 4 -> repeat(m, at, data.number(1, 256), data.number(2, 2048));
            case 5 -> insert(m, lineStart(m, at), HEADER_LINES[data.number(0, HEADER_LINES.length - 1)]);
            case 6 -> duplicateLine(m, at, data.number(0, 1) == 1);
            case 7 -> changeCase(m, at, data.number(1, 32));
            case 8 -> insert(m, at, seeds.get(data.number(0, seeds.size() - 1)));
            default -> splice(m, at, m.length, new byte[0]);
        };
    }

    private static byte[] flip(byte[] m, int at, byte mask) {
        if (at >= m.length) {
            return m;
        }
        byte[] out = m.clone();
        out[at] ^= mask;
        return out;
    }

    static byte[] insert(byte[] m, int at, byte[] piece) {
        return splice(m, at, at, piece);
    }

    static byte[] splice(byte[] m, int from, int to, byte[] piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(m.length + piece.length);
        out.write(m, 0, from);
        out.writeBytes(piece);
        out.write(m, to, m.length - to);
        return out.toByteArray();
    }

    private static byte[] repeat(byte[] m, int at, int length, int times) {
        int end = Math.min(m.length, at + length);
        byte[] run = Arrays.copyOfRange(m, at, end);
        ByteArrayOutputStream piece = new ByteArrayOutputStream();
        for (int i = 0; i < times && piece.size() < MAX_SIZE; i++) {
            piece.writeBytes(run);
        }
        return insert(m, end, piece.toByteArray());
    }

    private static byte[] duplicateLine(byte[] m, int at, boolean drop) {
        int start = lineStart(m, at);
        int end = start;
        while (end < m.length && m[end++] != '\n') {
            // to the end of the line, its LF included
        }
        return drop ? splice(m, start, end, new byte[0]) : insert(m, start, Arrays.copyOfRange(m, start, end));
    }

    private static byte[] changeCase(byte[] m, int at, int length) {
        byte[] out = m.clone();
        for (int i = at; i < Math.min(out.length, at + length); i++) {
            if (Character.isLetter(out[i])) {
                out[i] ^= 0x20;
            }
        }
        return out;
    }

    private static int lineStart(byte[] m, int at) {
        int i = Math.min(at, m.length);
        while (i > 0 && m[i - 1] != '\n') {
            i--;
        }
        return i;
    }

    private static byte[][] lines(String... lines) {
        return Arrays.stream(lines).map(l -> l.getBytes(StandardCharsets.UTF_8)).toArray(byte[][]::new);
    }
}
