package dev.acmesmime.rfc8823.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/** Header field names and values as the rules read them. */
class HeaderFieldTest {

    @Test
    void d14_nameKeysAreEqualExactlyWhenNamesAreEqualIgnoringCase() {
        // letters whose case mappings cross into ASCII or change length: dotless i, dotted I,
        // long s, Kelvin sign, sharp s, y with diaeresis, micro sign
        char[] chars = {'i', 'I', 's', 'S', 'k', 'K', 'y', 'Y', '-', '\u0131', '\u0130', '\u017f', '\u212a', '\u00df',
            '\u00ff', '\u00b5', '\u039c'};
        Random random = new Random(5322);
        int equalPairs = 0;
        for (int i = 0; i < 50000; i++) {
            String a = random(chars, random);
            String b = random(chars, random);
            boolean expected = a.equalsIgnoreCase(b);
            assertThat(HeaderField.nameKey(a).equals(HeaderField.nameKey(b))).as("%s vs %s", a, b).isEqualTo(expected);
            equalPairs += expected ? 1 : 0;
        }
        assertThat(equalPairs).as("the sample holds equal pairs too").isGreaterThan(100);
        assertThat(new ParsedMail(java.util.List.of(new HeaderField("Me\u017fsage-Id", "x")), "text/plain",
                java.util.List.of(), java.util.List.of()).all("MESSAGE-ID")).hasSize(1);
    }

    @Test
    void x12_unfoldingRemovesLineBreaksThenTrims() {
        char[] chars = {'a', ' ', '\t', '\r', '\n', '\u00e9', '\u3000', ':'};
        Random random = new Random(2822);
        for (int i = 0; i < 20000; i++) {
            char[] s = new char[random.nextInt(12)];
            for (int k = 0; k < s.length; k++) {
                s[k] = chars[random.nextInt(chars.length)];
            }
            String value = new String(s);
            assertThat(MailParser.unfold(value)).isEqualTo(value.replace("\r", "").replace("\n", "").strip());
        }
    }

    private static String random(char[] chars, Random random) {
        char[] s = new char[1 + random.nextInt(3)];
        for (int i = 0; i < s.length; i++) {
            s[i] = chars[random.nextInt(chars.length)];
        }
        return new String(s);
    }
}
