package dev.acmesmime.rfc8823;

import static dev.acmesmime.rfc8823.Fixtures.bytes;
import static dev.acmesmime.rfc8823.Fixtures.eml;
import static dev.acmesmime.rfc8823.Fixtures.failDetail;
import static dev.acmesmime.rfc8823.Fixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Bad input gets a verdict, never an exception (brief: product rules). Hostile inputs at and
 * beyond the documented limits, plus a seeded mutation run over valid challenges and responses.
 * <p>
 * The class timeout only guards CI against a hang (a parser loop); it asserts nothing about speed.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class RobustnessTest {

    private static final AcmeMailInspector INSPECTOR = AcmeMailInspector.builder()
            .authenticity(Fixtures.PASSING)
            .leniency(Leniency.BYTE_CONCATENATION)
            .build();
    private static final Expectations EXPECT = Expectations.builder().expectedFrom("alexey@example.com")
            .expectedTo("acme-generator@example.org").tokenPart2(Fixtures.TOKEN_PART2)
            .accountThumbprint(Fixtures.TV1_THUMBPRINT).build();

    /** Inspects with all three entry points and checks the verdict's shape; returns the classifying one. */
    private static Verdict inspectAll(byte[] raw) {
        Verdict v = INSPECTOR.inspect(raw, EXPECT);
        assertShape(v);
        assertShape(INSPECTOR.inspectChallenge(raw, EXPECT));
        assertShape(INSPECTOR.inspectResponse(raw, EXPECT));
        return v;
    }

    /** Plain checks rather than AssertJ: this runs tens of thousands of times. */
    private static void assertShape(Verdict v) {
        if (v == null || v.kind() == null || v.checks().isEmpty()) {
            throw new AssertionError("verdict without kind or checks: " + v);
        }
        for (Check c : v.checks()) {
            if (c.detail().indexOf('\r') >= 0 || c.detail().indexOf('\n') >= 0) {
                throw new AssertionError("detail with a line break: " + c);
            }
        }
        if (v.kind() == MessageKind.OTHER && v.valid()) {
            throw new AssertionError("valid verdict of kind other: " + v);
        }
    }

    @Test
    void emptyInputIsMalformed() {
        Verdict v = inspectAll(new byte[0]);
        assertThat(failDetail(v, FailureCode.MALFORMED)).contains("empty");
        assertThat(INSPECTOR.inspect(null).failureCodes()).containsExactly(FailureCode.MALFORMED);
    }

    @Test
    void binaryGarbageIsMalformed() {
        byte[] garbage = new byte[4096];
        new Random(8823).nextBytes(garbage);
        assertThat(inspectAll(garbage).failureCodes()).containsExactly(FailureCode.MALFORMED);
    }

    @Test
    void nulBytesAreMalformed() {
        assertThat(inspectAll(new byte[1000]).failureCodes()).containsExactly(FailureCode.MALFORMED);
    }

    @Test
    void nulInsideTheSubjectIsSubjectSyntax() {
        byte[] mail = bytes(text("fig1-challenge.eml").replace("sME=", "sM\u0000E="));
        Verdict v = inspectAll(mail);
        assertThat(failDetail(v, FailureCode.SUBJECT_SYNTAX)).contains("\\x00");
    }

    @Test
    void tenMegabytesOfHeadersAreMalformed() {
        StringBuilder sb = new StringBuilder(10_500_000);
        while (sb.length() < 10_000_000) {
            sb.append("X-Filler: ").append("a".repeat(60)).append("\r\n");
        }
        sb.append(text("fig1-challenge.eml"));
        Verdict v = inspectAll(bytes(sb.toString()));
        assertThat(failDetail(v, FailureCode.MALFORMED)).contains("exceeds the limit of " + AcmeMailInspector.MAX_MESSAGE_BYTES);
    }

    @Test
    void tooManyHeaderFieldsAreMalformed() {
        String fields = "X-Filler: a\r\n".repeat(AcmeMailInspector.MAX_HEADER_FIELDS + 1);
        Verdict v = inspectAll(bytes(fields + text("fig1-challenge.eml")));
        assertThat(v.failureCodes()).containsExactly(FailureCode.MALFORMED);
    }

    @Test
    void overlongHeaderFieldIsMalformed() {
        String folded = "X-Long: " + "b ".repeat(10).concat("\r\n ").repeat(AcmeMailInspector.MAX_HEADER_FIELD_BYTES / 20 + 10) + "\r\n";
        Verdict v = inspectAll(bytes(folded + text("fig1-challenge.eml")));
        assertThat(v.failureCodes()).containsExactly(FailureCode.MALFORMED);
    }

    @Test
    void tenThousandNestedMultipartsAreMalformed() {
        int depth = 10_000;
        StringBuilder sb = new StringBuilder(text("fig2-response.eml").split("Content-Type")[0]);
        for (int i = 0; i < depth; i++) {
            sb.append("Content-Type: multipart/alternative; boundary=\"b").append(i).append("\"\r\n\r\n--b").append(i).append("\r\n");
        }
        sb.append("Content-Type: text/plain\r\n\r\n-----BEGIN ACME RESPONSE-----\r\nx\r\n-----END ACME RESPONSE-----\r\n");
        for (int i = depth - 1; i >= 0; i--) {
            sb.append("--b").append(i).append("--\r\n");
        }
        Verdict v = inspectAll(bytes(sb.toString()));
        assertThat(failDetail(v, FailureCode.MALFORMED)).contains("nesting deeper than " + AcmeMailInspector.MAX_NESTING_DEPTH);
    }

    @Test
    void tooManyPartsAreMalformed() {
        StringBuilder sb = new StringBuilder(text("fig2-response.eml").split("Content-Type")[0]);
        sb.append("Content-Type: multipart/alternative; boundary=\"p\"\r\n\r\n");
        for (int i = 0; i <= AcmeMailInspector.MAX_PARTS; i++) {
            sb.append("--p\r\nContent-Type: text/html\r\n\r\n<p/>\r\n");
        }
        sb.append("--p--\r\n");
        assertThat(failDetail(inspectAll(bytes(sb.toString())), FailureCode.MALFORMED)).contains("body parts");
    }

    @Test
    void unterminatedMultipartStillGivesASpecificVerdict() {
        String mail = text("r8-alternative-qp-lf.eml");
        mail = mail.substring(0, mail.indexOf("--b1\nContent-Type: text/html"));
        Verdict v = inspectAll(bytes(mail));
        // the text/plain alternative is complete, so the response is read; the missing close delimiter is tolerated
        assertThat(v.kind()).isEqualTo(MessageKind.RESPONSE);
        assertThat(v.values().digest()).isEqualTo("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0=");
        // cut inside the block: no END line
        String cut = mail.substring(0, mail.indexOf("-----END"));
        assertThat(failDetail(inspectAll(bytes(cut)), FailureCode.BODY_FORMAT)).contains("without an END line");
    }

    @Test
    void brokenEncodedWordsAreSubjectSyntax() {
        String[] subjects = {
            "=?UTF-8?B?!!!notbase64?=",
            "=?UTF-8?Q?ACME:_abc=Z?=",
            "=?UTF-8?Q?ACME:_LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=3D",
            "=?x-unknown-charset?Q?ACME:_LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=3D?=",
            "=?UTF-8?B?QUNNRTog/w==?=",
            "=?UTF-8?X?ACME:_abc?=",
            "=??Q?ACME:_abc?=",
        };
        for (String s : subjects) {
            byte[] mail = bytes(text("fig1-challenge.eml").replace("Subject: ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=",
                    "Subject: " + s));
            Verdict v = INSPECTOR.inspectChallenge(mail, Expectations.NONE);
            assertShape(v);
            assertThat(v.failureCodes()).as(s).containsAnyOf(FailureCode.SUBJECT_SYNTAX, FailureCode.NOT_ACME);
            assertThat(v.valid()).isFalse();
        }
        byte[] undecodable = bytes(text("fig1-challenge.eml").replace("Subject: ACME: LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=",
                "Subject: ACME: =?UTF-8?B?!!!?="));
        assertThat(failDetail(INSPECTOR.inspectChallenge(undecodable, Expectations.NONE), FailureCode.SUBJECT_SYNTAX))
                .contains("encoded word does not decode");
    }

    @Test
    void headerLineThatIsNoFieldIsMalformed() {
        byte[] mail = bytes("From alexey Sat Dec  5 10:08:55 2020\r\n" + text("fig1-challenge.eml"));
        assertThat(failDetail(inspectAll(mail), FailureCode.MALFORMED)).contains("not a field");
    }

    @Test
    void headersWithoutBodyAndBareLineEndings() {
        assertShape(inspectAll(bytes("Subject: ACME: " + Fixtures.TOKEN_PART1)));
        assertShape(inspectAll(bytes("\r\n\r\n")));
        assertShape(inspectAll(bytes("\n")));
        assertShape(inspectAll(bytes(":\r\n\r\n")));
        assertThat(INSPECTOR.inspect(bytes(text("fig1-challenge.eml").replace("\r\n", "\n"))).failureCodes()).isEmpty();
        assertThat(inspectAll(bytes(text("fig2-response.eml").replace("\r\n", "\r"))).kind()).isNotNull();
    }

    @Test
    void hostileAddressFieldsGiveFromFailures() {
        String[] froms = {"<<<<", "\"unterminated@example.org", "a@", "@b", "(((((((((((((((", "x@[1.2.3.4]",
            "g: ;", "a@b, , ,", "=?UTF-8?B?////?= <a@example.org>", "\u0000@example.org"};
        for (String f : froms) {
            byte[] mail = bytes(text("fig1-challenge.eml").replace("From: acme-generator@example.org", "From: " + f));
            Verdict v = INSPECTOR.inspectChallenge(mail, EXPECT);
            assertShape(v);
            assertThat(v.failureCodes()).as(f).contains(FailureCode.UNEXPECTED_SENDER);
        }
    }

    /** Seeded mutations of valid mails: every variant gets a well-formed verdict and no exception. */
    @Test
    void seededMutationsNeverThrow() {
        List<byte[]> seeds = List.of(eml("fig1-challenge.eml"), eml("tv5-challenge-folded-q-subject.eml"),
                eml("c24-auto-submitted-comment.eml"), eml("fig2-response.eml"), eml("r8-alternative-qp-lf.eml"),
                eml("r14-base64-body.eml"), eml("r2-encoded-aw-prefix.eml"));
        Random random = new Random(0x8823L);
        Map<MessageKind, Integer> kinds = new EnumMap<>(MessageKind.class);
        Map<FailureCode, Integer> codes = new EnumMap<>(FailureCode.class);
        int variants = 12_000;
        for (int i = 0; i < variants; i++) {
            byte[] seed = seeds.get(random.nextInt(seeds.size()));
            byte[] mutated = seed;
            int rounds = 1 + random.nextInt(3);
            for (int r = 0; r < rounds; r++) {
                mutated = mutate(mutated, random);
            }
            Verdict v;
            try {
                v = inspectAll(mutated);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("variant " + i + " failed: " + new String(mutated, StandardCharsets.ISO_8859_1), e);
            }
            kinds.merge(v.kind(), 1, Integer::sum);
            v.failureCodes().forEach(c -> codes.merge(c, 1, Integer::sum));
        }
        // the mutations must actually reach the rules, not only the parser's error path
        assertThat(kinds).containsKeys(MessageKind.CHALLENGE, MessageKind.RESPONSE, MessageKind.OTHER);
        assertThat(codes).containsKeys(FailureCode.MALFORMED, FailureCode.SUBJECT_SYNTAX, FailureCode.DUPLICATE_HEADER,
                FailureCode.BODY_FORMAT, FailureCode.DIGEST_SYNTAX, FailureCode.NOT_ACME);
    }

    private static final byte[][] INSERTS = {{0}, {'\r'}, {'\n'}, {'=', '?'}, {'?', '='}, {'\r', '\n'},
        {'\r', '\n', '\r', '\n'}, {'\n', ' '}, {(byte) 0xff, (byte) 0xfe}, {'>', ' '}, {'-', '-'}, {':'}, {'"'}, {'('}};

    static byte[] mutate(byte[] in, Random random) {
        if (in.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int pos = random.nextInt(in.length);
        switch (random.nextInt(9)) {
            case 0: { // byte flip
                byte[] out = in.clone();
                out[pos] ^= (byte) (1 << random.nextInt(8));
                return out;
            }
            case 1: // truncation
                return java.util.Arrays.copyOf(in, pos);
            case 2: { // insertion of NUL, CR, LF, encoded-word delimiters, quoting
                byte[] ins = INSERTS[random.nextInt(INSERTS.length)];
                return splice(in, pos, pos, ins);
            }
            case 3: { // header duplication: repeat one header line
                String s = new String(in, StandardCharsets.ISO_8859_1);
                int headerEnd = Math.max(0, s.indexOf("\r\n\r\n"));
                List<String> lines = new ArrayList<>(List.of(s.substring(0, headerEnd).split("\r\n")));
                if (lines.isEmpty()) {
                    return in;
                }
                String line = lines.get(random.nextInt(lines.size()));
                return (line + "\r\n" + s).getBytes(StandardCharsets.ISO_8859_1);
            }
            case 4: { // boundary damage
                String s = new String(in, StandardCharsets.ISO_8859_1);
                int b = s.indexOf("--", pos);
                if (b < 0) {
                    b = s.indexOf("--");
                }
                if (b < 0) {
                    return splice(in, pos, pos, "\r\n--b1\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                return splice(in, b, Math.min(in.length, b + 2 + random.nextInt(4)), new byte[] {'-'});
            }
            case 5: { // deep nesting: wrap the body in multipart levels
                String s = new String(in, StandardCharsets.ISO_8859_1);
                int split = s.indexOf("\r\n\r\n");
                if (split < 0) {
                    return in;
                }
                int depth = 1 + random.nextInt(30);
                StringBuilder sb = new StringBuilder(s.substring(0, split).replaceAll("(?i)content-type", "X-Old-Type"));
                sb.append("\r\n");
                for (int d = 0; d < depth; d++) {
                    sb.append("Content-Type: multipart/alternative; boundary=\"n").append(d).append("\"\r\n\r\n--n").append(d).append("\r\n");
                }
                sb.append("Content-Type: text/plain\r\n").append(s.substring(split));
                for (int d = depth - 1; d >= 0; d--) {
                    sb.append("\r\n--n").append(d).append("--\r\n");
                }
                return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            }
            case 6: { // delete a range
                int end = Math.min(in.length, pos + 1 + random.nextInt(40));
                return splice(in, pos, end, new byte[0]);
            }
            case 7: { // duplicate a range
                int end = Math.min(in.length, pos + 1 + random.nextInt(80));
                return splice(in, end, end, java.util.Arrays.copyOfRange(in, pos, end));
            }
            default: { // line-ending damage
                String s = new String(in, StandardCharsets.ISO_8859_1);
                return (random.nextBoolean() ? s.replace("\r\n", "\n") : s.replace("\r\n", "\r"))
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
        }
    }

    private static byte[] splice(byte[] in, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + insert.length);
        out.write(in, 0, from);
        out.write(insert, 0, insert.length);
        out.write(in, to, in.length - to);
        return out.toByteArray();
    }
}
