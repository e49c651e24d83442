package dev.acmesmime.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The character-level checks of DKIM-Signature tags agree with the definitions they replace. */
class SignatureTagsTest {

    /** What the b=/bh= check stands for: FWS removed, whole 4-character units the JDK decodes. */
    private static boolean strictBase64(String v) {
        String compact = SignatureTags.withoutFws(v);
        if (compact.isEmpty() || compact.length() % 4 != 0) {
            return false;
        }
        try {
            Base64.getDecoder().decode(compact);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void d16_base64TagCheckAcceptsExactlyWhatTheStrictDecoderAccepts() {
        String[] pieces = {"A", "b", "9", "+", "/", "=", "==", " ", "\r\n\t", "-", "_", "AAAA"};
        Random random = new Random(6376);
        int accepted = 0;
        for (int i = 0; i < 20000; i++) {
            String v = Fuzz.text(pieces, 10, random);
            assertThat(SignatureTags.isBase64Value(v)).as("b=%s", v.replace("\r\n", "\\r\\n")).isEqualTo(strictBase64(v));
            accepted += strictBase64(v) ? 1 : 0;
        }
        assertThat(accepted).as("the sample holds valid values too").isGreaterThan(100);
        assertThat(SignatureTags.isBase64Value("dGVzdA==\r\n\t")).isTrue();
        assertThat(SignatureTags.isBase64Value("dGV=zdA=")).isFalse();
    }

    /** The reading {@link SignatureTags#parse} replaces: split at ';', skip blank specs, strip. */
    private static Object splitReading(String value) {
        java.util.Map<String, String> tags = new java.util.LinkedHashMap<>();
        for (String spec : value.split(";", -1)) {
            if (spec.isBlank()) {
                continue;
            }
            int eq = spec.indexOf('=');
            if (eq < 0) {
                return "tag-spec without '='";
            }
            String name = spec.substring(0, eq).strip();
            if (!SignatureTags.isTagName(name)) {
                return "invalid tag name";
            }
            if (tags.containsKey(name)) {
                return "duplicate tag " + name + "= (RFC 6376 §3.2)";
            }
            tags.put(name, spec.substring(eq + 1).strip());
        }
        return tags;
    }

    @Test
    void d16_tagsAreReadAsSplittingAtSemicolonsReadsThem() {
        String[] pieces = {"v", "=", ";", " ", "\r\n\t", "a", "1", "=b", "\u3000", "x_y", ";;"};
        Random random = new Random(3);
        for (int i = 0; i < 20000; i++) {
            String v = Fuzz.text(pieces, 9, random);
            Object actual;
            try {
                actual = SignatureTags.parse(v).tags();
            } catch (SignatureTags.Malformed e) {
                actual = e.getMessage();
            }
            assertThat(actual).as(v).isEqualTo(splitReading(v));
        }
    }

    @Test
    void d2_missingNamesAreFoundCaseInsensitively() {
        Random random = new Random(8823);
        List<String> pool = List.of("From", "TO", "subject", "Date", "x-Y", "Cc", "reply-to", "MESSAGE-ID", "a");
        for (int i = 0; i < 2000; i++) {
            List<String> signed = new ArrayList<>();
            int n = random.nextInt(6);
            for (int k = 0; k < n; k++) {
                String name = pool.get(random.nextInt(pool.size()));
                signed.add(random.nextBoolean() ? name.toUpperCase() : name.toLowerCase());
            }
            List<String> expected = SignedFields.RESPONSE_REQUIRED.stream()
                    .filter(r -> signed.stream().noneMatch(r::equalsIgnoreCase)).toList();
            assertThat(SignedFields.missing(SignedFields.RESPONSE_REQUIRED, signed)).isEqualTo(expected);
        }
        // a name that is not ASCII (never from a valid h=) is still compared as equalsIgnoreCase does
        assertThat(SignedFields.missing(List.of("Subject", "From"), List.of("\u017fubject"))).containsExactly("From");
    }
}
