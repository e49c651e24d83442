package dev.acmesmime.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.tagvalue.SignatureRecordImpl;
import org.apache.james.jdkim.tagvalue.TagValue;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.testing.TestKeys;

/**
 * D16: {@link QuickSignatureRecord} reads every DKIM-Signature exactly as jDKIM's own
 * {@link SignatureRecordImpl} does: the same tags and values, the same unsigned text, {@code h=}
 * list and decoded {@code b=}/{@code bh=}, and the same exception (type and message) for
 * whatever jDKIM rejects. Checked on our signer's field and thousands of mutations of it.
 */
class QuickSignatureRecordTest {

    static String field;

    @BeforeAll
    static void sign() throws Exception {
        DkimSigner signer = DkimSigner.builder().privateKey(TestKeys.rsa(2048).getPrivate()).selector("s1").build();
        String header = signer.signatureField(TestMails.response("user@example.test", "acme@ca.test"), MessageKind.RESPONSE);
        field = MailBytes.valueOf(header);
    }

    /** Everything a reader of the record can observe, or the exception that stopped it. */
    private static List<Object> observe(Supplier<SignatureRecord> make) {
        List<Object> seen = new ArrayList<>();
        SignatureRecord r;
        try {
            r = make.get();
        } catch (RuntimeException e) {
            return List.of("constructor", Fuzz.thrown(e));
        }
        seen.add(tagValues(r));
        seen.add(Fuzz.outcome(r::toString));
        seen.add(Fuzz.outcome(r::toUnsignedString));
        seen.add(Fuzz.outcome(() -> r.getHeaders().stream().map(CharSequence::toString).toList()));
        seen.add(Fuzz.outcome(() -> r.getHeaders().stream().map(CharSequence::toString).toList()));
        seen.add(Fuzz.outcome(() -> Arrays.toString(r.getSignature())));
        seen.add(Fuzz.outcome(() -> Arrays.toString(r.getBodyHash())));
        seen.add(Fuzz.outcome(() -> {
            r.validate();
            return "valid";
        }));
        seen.add(Fuzz.outcome(() -> {
            r.validate();
            return "valid";
        }));
        seen.add(Fuzz.outcome(() -> String.valueOf(r.getIdentity())));
        return seen;
    }

    private static Map<?, ?> tagValues(SignatureRecord r) {
        try {
            Field f = TagValue.class.getDeclaredField("tagValues");
            f.setAccessible(true);
            Map<?, ?> m = (Map<?, ?>) f.get(r);
            // values are CharSequences of either kind: compare their text
            Map<Object, String> text = new java.util.TreeMap<>();
            m.forEach((k, v) -> text.put(k, v.toString()));
            return text;
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertSameAsJdkim(String value) {
        assertThat(observe(() -> new QuickSignatureRecord(value)))
                .as("DKIM-Signature:%s", value.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t"))
                .isEqualTo(observe(() -> new SignatureRecordImpl(value)));
    }

    @Test
    void d16_readsOurSignersFieldAsJdkimDoes() {
        assertSameAsJdkim(field);
        String b = new SignatureRecordImpl(field).toString().replaceAll("(?s).*\\bb=([^;]*).*", "$1").strip();
        assertThat(b).isNotEmpty();
        assertThat(new QuickSignatureRecord(field).toUnsignedString()).contains("b=;").doesNotContain(b);
    }

    @Test
    void d16_readsMutatedFieldsAsJdkimDoes() {
        String[] inserts = {";", "=", " ", "\t", "\r", "\n", "\r\n ", "\r\n\t", "\r\n", "a", ":", "b=", "-", "h=", "\u00e9",
            "@", "x=1", ";;", "=="};
        Random random = new Random(6376);
        int accepted = 0;
        for (int i = 0; i < 4000; i++) {
            StringBuilder sb = new StringBuilder(field);
            int edits = 1 + random.nextInt(3);
            for (int k = 0; k < edits; k++) {
                int at = random.nextInt(sb.length() + 1);
                switch (random.nextInt(3)) {
                    case 0 -> sb.insert(at, inserts[random.nextInt(inserts.length)]);
                    case 1 -> sb.delete(at, Math.min(sb.length(), at + 1 + random.nextInt(4)));
                    default -> sb.replace(at, Math.min(sb.length(), at + 1), inserts[random.nextInt(inserts.length)]);
                }
            }
            String value = sb.toString();
            assertSameAsJdkim(value);
            try {
                new SignatureRecordImpl(value);
                accepted++;
            } catch (RuntimeException e) {
                // rejected alike, as asserted above
            }
        }
        assertThat(accepted).as("mutations jDKIM still parses").isGreaterThan(500);
    }

    @Test
    void d16_readsHandPickedOddFieldsAsJdkimDoes() {
        for (String v : List.of("", " ", "v=1", "v=1;", "v=1; ;", "=1", "v=", "v=1;v=2", " v = 1 ; a=rsa-sha256 ",
                "v=1; h=from\r\n :to", "v=1; h=from:\r\nto", "v=1; h=from::to", "v=1; h= from : to ", "v=1; b=ab\r\n cd",
                "v=1; b=ab\r\ncd", "v=1; b=ab cd;", "v=1; bh=xb=; b=abc", "v=1; d=b=c", "v=1; x", "v=1; x;",
                "1v=2", "v_1=2", "v=1; h=fr om", "v=1; b=QUJD\r\n\tREVG", "v=1; b=QUJ!", "v=1;\r\n", "v=1;\r\n \r\n ")) {
            assertSameAsJdkim(v);
        }
    }

    @Test
    void d16_tagValueCheckIsJdkimsRegex() {
        java.util.regex.Pattern jdkim = java.util.regex.Pattern.compile(
                "^(?:[^; \t\r\n]++(?:(?:(?:\r\n)?[\t ])++[^; \t\r\n]++)*+)?$");
        String[] pieces = {"a", "=", " ", "\t", "\r", "\n", "\r\n", ";", "\r\n ", "x"};
        Random random = new Random(1);
        for (int i = 0; i < 20000; i++) {
            String v = Fuzz.text(pieces, 7, random);
            assertThat(QuickSignatureRecord.isTagValue(v)).as(v).isEqualTo(jdkim.matcher(v).matches());
        }
    }
}
