package dev.acmesmime.testca.mail;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acmesmime.rfc8823.TokenPart1;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ChallengeTokensTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void theDefaultTokenPart1IsCoresWholeGroups() {
        String t1 = ChallengeTokens.tokenPart1(random, false);
        byte[] bytes = Base64.getUrlDecoder().decode(t1);
        assertThat(t1).hasSize(TokenPart1.LENGTH).doesNotContain("=");
        assertThat(bytes.length % 3).isZero();
        assertThat(TokenPart1.check(t1).ok()).isTrue();
    }

    @Test
    void theOddTokenPart1HasAPartialLastGroupAndEnoughEntropy() {
        String t1 = ChallengeTokens.tokenPart1(random, true);
        byte[] bytes = Base64.getUrlDecoder().decode(t1);
        assertThat(bytes).hasSize(ChallengeTokens.ODD_TOKEN_PART1_BYTES);
        assertThat(bytes.length % 3).isNotZero();
        assertThat(bytes.length * 8).isGreaterThanOrEqualTo(128);
        assertThat(t1).doesNotContain("=");
        assertThat(TokenPart1.check(t1).ok()).isTrue();
    }

    @Test
    void tokenPart2IsUnpadded128BitBase64urlAndFresh() {
        String t2 = ChallengeTokens.tokenPart2(random);
        assertThat(t2).matches("[A-Za-z0-9_-]{22}");
        assertThat(Base64.getUrlDecoder().decode(t2)).hasSize(16);
        assertThat(ChallengeTokens.tokenPart2(random)).isNotEqualTo(t2);
        assertThat(ChallengeTokens.tokenPart1(random, false)).isNotEqualTo(ChallengeTokens.tokenPart1(random, false));
    }
}
