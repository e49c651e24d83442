package dev.acmesmime.testca.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.security.SecureRandom;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Unit tests for {@link Nonces} (RFC 8555 §6.5). */
class NoncesTest {
    private final SecureRandom random = new SecureRandom();

    private static ProblemType refusal(Runnable r) {
        try {
            r.run();
        } catch (AcmeProblemException e) {
            return e.problem().type();
        }
        return null;
    }

    @Test
    void aNonceIsGoodOnce() {
        Nonces nonces = new Nonces(random, 0, new Random(1));
        String n = nonces.issue();
        assertThatNoException().isThrownBy(() -> nonces.consume(n));
        assertThat(refusal(() -> nonces.consume(n))).isEqualTo(ProblemType.BAD_NONCE);
    }

    @Test
    void aNonceThisServerNeverIssuedIsBad() {
        Nonces nonces = new Nonces(random, 0, new Random(1));
        nonces.issue();
        assertThat(refusal(() -> nonces.consume("AAAAAAAAAAAAAAAAAAAAAA"))).isEqualTo(ProblemType.BAD_NONCE);
        assertThat(refusal(() -> nonces.consume(null))).isEqualTo(ProblemType.BAD_NONCE);
    }

    @Test
    void noncesAreDistinctAndCarry128Bits() {
        Nonces nonces = new Nonces(random, 0, new Random(1));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String n = nonces.issue();
            assertThat(n).matches("[A-Za-z0-9_-]{22}");
            seen.add(n);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void theFaultRefusesValidNoncesAndUsesThemUp() {
        Nonces nonces = new Nonces(random, 100, new Random(1));
        String n = nonces.issue();
        AcmeProblemException e = (AcmeProblemException) catchThrowable(() -> nonces.consume(n));
        assertThat(e.problem().type()).isEqualTo(ProblemType.BAD_NONCE);
        assertThat(e.problem().detail()).contains("fault.nonceRejectPercent");
        assertThat(refusal(() -> nonces.consume(n))).isEqualTo(ProblemType.BAD_NONCE);
    }

    @Test
    void aShareOfValidNoncesIsRefused() {
        Nonces nonces = new Nonces(random, 50, new Random(42));
        int refused = 0;
        for (int i = 0; i < 1000; i++) {
            String n = nonces.issue();
            if (refusal(() -> nonces.consume(n)) != null) {
                refused++;
            }
        }
        assertThat(refused).isBetween(400, 600);
    }

    @Test
    void theOldestAreForgottenPastTheLimit() {
        Nonces nonces = new Nonces(random, 0, new Random(1));
        String first = nonces.issue();
        for (int i = 0; i < Nonces.REMEMBERED; i++) {
            nonces.issue();
        }
        assertThat(refusal(() -> nonces.consume(first))).isEqualTo(ProblemType.BAD_NONCE);
    }

    @Test
    void aSharePastHundredIsRefused() {
        assertThatThrownBy(() -> new Nonces(random, 101, new Random())).isInstanceOf(IllegalArgumentException.class);
    }
}
