package dev.acmesmime.rfc8823;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class KeyAuthorizationInputsTest {
    static final String T1 = "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=";
    static final String T2 = "DGyRejmCefe7v4NfDGDKfA";
    static final String TP = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

    static String octets(int n) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[n]);
    }

    @Test
    void tv2AndTv1MakeAKeyAuthorization() {
        assertThat(KeyAuthorizationInputs.problem(T1, T2, TP)).isEmpty();
    }

    @Test
    void c2_b5_eachTokenPartNeedsSixteenOctets() {
        assertThat(KeyAuthorizationInputs.problem(octets(16), octets(16), TP)).isEmpty();
        assertThat(KeyAuthorizationInputs.problem(octets(15), T2, TP)).get()
                .extracting(KeyAuthorizationInputs.Problem::code).isEqualTo(KeyAuthorizationInputs.TOKEN_TOO_SHORT);
        assertThat(KeyAuthorizationInputs.problem(T1, octets(15), TP).orElseThrow().reason())
                .startsWith("token-part2 decodes to 15 octets (120 bits)");
    }

    @Test
    void a5_x1_tokenPartsAreBase64urlWithOptionalPadding() {
        assertThat(KeyAuthorizationInputs.problem(T1, T2 + "==", TP)).isEmpty();
        for (String bad : new String[] {"", "DGyRejmCefe7v4NfDGDKf+", "DGyRejmCefe7v4NfDGDKfA===", "DGyRejm CefDKfA"}) {
            assertThat(KeyAuthorizationInputs.problem(T1, bad, TP).orElseThrow().code()).as(bad)
                    .isEqualTo(KeyAuthorizationInputs.TOKEN_SYNTAX);
        }
    }

    @Test
    void tv1_theThumbprintIsFortyThreeBase64urlCharacters() {
        for (String bad : new String[] {TP.substring(1), TP + "=", TP + "A", TP.replace('-', '+'), octets(33)}) {
            assertThat(KeyAuthorizationInputs.problem(T1, T2, bad).orElseThrow().code()).as(bad)
                    .isEqualTo(KeyAuthorizationInputs.THUMBPRINT_SYNTAX);
        }
    }
}
