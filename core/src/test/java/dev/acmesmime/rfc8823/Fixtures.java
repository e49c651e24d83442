package dev.acmesmime.rfc8823;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Shared test data: the RFC 8823 example values (TV2) and the fixture mails. */
final class Fixtures {

    /** TV2: RFC 8823 Figure 1 token-part1 (padded) and the §3 challenge object's token-part2. */
    static final String TOKEN_PART1 = "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=";
    static final String TOKEN_PART2 = "DGyRejmCefe7v4NfDGDKfA";

    /** TV1: RFC 7638 §3.1 example RSA modulus. */
    static final String TV1_N = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    static final String TV1_JWK = "{\"kty\":\"RSA\",\"e\":\"AQAB\",\"alg\":\"RS256\",\"kid\":\"2011-04-29\",\"n\":\"" + TV1_N + "\"}";
    static final String TV1_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
    /** TV3: TV1 key with TV2 tokens, string concatenation with the padding kept. */
    static final String TV3_DIGEST = "ZEzZgc9aJoD_n58jPgRZT72bYhm3xgODx3XMbYEeaBo";
    /** TV3 negative: token-part1 wrongly stripped of its '='. */
    static final String TV3_STRIPPED_DIGEST = "oqRgcdn5jIDrdckMC7owMFH3UoxuDcTUPaTHapj0tfs";
    /** TV4: acme4j SMIMETests account key (RSA-512, test only). */
    static final String TV4_N = "27Z2spNnDcdfd-LSXjIAblFX-fCXimg85H7TfEe-1BJ50tfUJKAMLoKGQMnh-pw0xfwsYJKCymPV3RvyApAO7Q";
    static final String TV4_THUMBPRINT = "1_nKJnlH9boVxdoO63T8zP7O2w42qZL4d6xj35Hy5aI";
    static final String TV4_DIGEST = "AjXW0h9_4YMP6Sv-9tKQNUrapI0us7ayBn0nCGOkUsk";

    /** A verifier standing in for a DKIM check that passed. */
    static final AuthenticityVerifier PASSING = (raw, kind, from) ->
            List.of(Check.pass(FailureCode.DKIM_INVALID, "stub: signature verified for " + from));

    static final AcmeMailInspector STRICT = AcmeMailInspector.builder().authenticity(PASSING).build();

    private Fixtures() {
    }

    static byte[] eml(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/rfc8823/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(eml(name), StandardCharsets.UTF_8);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The detail of the first failed check with this code. */
    static String failDetail(Verdict v, FailureCode code) {
        return v.checks().stream().filter(c -> !c.ok() && c.code() == code).map(Check::detail).findFirst()
                .orElseThrow(() -> new AssertionError("no failed " + code + " in " + v.checks()));
    }
}
