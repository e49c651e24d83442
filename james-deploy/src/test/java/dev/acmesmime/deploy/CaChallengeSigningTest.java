package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.CaJames.WAIT;
import static dev.acmesmime.deploy.CaMails.CA;
import static dev.acmesmime.deploy.CaMails.challenge;
import static dev.acmesmime.deploy.CaMails.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.acmesmime.testing.Dkimpy;

/**
 * The CA's James signs the challenges the ACME server sends through it, and holds the malformed
 * ones (C4 token length, C12 Auto-Submitted), which never leave; Debian's dkimpy verifies what leaves.
 */
class CaChallengeSigningTest {

    @RegisterExtension
    static final CaJames JAMES = CaJames.shared("native");

    @Test
    void aWellFormedChallenge_leavesSigned_andDkimpyVerifiesIt() throws Exception {
        JAMES.send(CA, "bob@example.test", challenge("bob@example.test", "<c-bob@ca.example>", token('b'), true));

        await().atMost(WAIT).until(() -> JAMES.sinkMessage("<c-bob@ca.example>").isPresent());
        byte[] sent = JAMES.sinkMessage("<c-bob@ca.example>").orElseThrow().getData();
        Dkimpy.Verification v = Dkimpy.verify(sent, JAMES.dns().server());
        assertThat(v.ok()).as(v.json()).isTrue();
        assertThat(v.d()).isEqualTo("ca.example");
        assertThat(v.h()).map(String::toLowerCase).contains("auto-submitted", "from", "to", "subject", "message-id");
        assertThat(JAMES.audit("token=" + token('b'))).anySatisfy(a -> assertThat(a.path("event").asText())
                .isEqualTo("challenge-signed"));
    }

    @Test
    void malformedChallenges_areHeldWithTheirCode_andNeverLeave() throws Exception {
        JAMES.send(CA, "carol@example.test", challenge("carol@example.test", "<c-noauto@ca.example>", token('c'), false));
        JAMES.send(CA, "dave@example.test", challenge("dave@example.test", "<c-short@ca.example>", "AAAAAAAAAAA", true));

        await().atMost(WAIT).until(() -> JAMES.audit("address=carol@example.test").size()
                + JAMES.audit("address=dave@example.test").size() >= 2);
        assertThat(JAMES.audit("address=carol@example.test")).singleElement().satisfies(a -> {
            assertThat(a.path("event").asText()).isEqualTo("challenge-held");
            assertThat(a.path("outcome").asText()).isEqualTo("auto-submitted");
        });
        assertThat(JAMES.audit("address=dave@example.test")).singleElement()
                .satisfies(a -> assertThat(a.path("outcome").asText()).isEqualTo("token-too-short"));
        assertThat(JAMES.sinkMessage("<c-noauto@ca.example>")).isEmpty();
        assertThat(JAMES.sinkMessage("<c-short@ca.example>")).isEmpty();
    }
}
