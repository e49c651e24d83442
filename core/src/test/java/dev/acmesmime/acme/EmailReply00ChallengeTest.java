package dev.acmesmime.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.security.KeyPair;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.toolbox.AcmeUtils;
import org.shredzone.acme4j.toolbox.JSON;
import org.shredzone.acme4j.toolbox.JoseUtils;

/**
 * Unit tests for {@link EmailReply00Challenge}: acme4j's provider extension point finds it, it reads
 * {@code from} and {@code token}, and its digest (core's thumbprint and key authorization) equals the one
 * acme4j's own JOSE code gives, for each account key type.
 */
class EmailReply00ChallengeTest {
    private static final String TOKEN_PART1 = "LgYemJLy3F1LDkiJrdIGbEzyFJyOyf6vBdyZ1TG3sME=";
    private static final String TOKEN_PART2 = "DGyRejmCefe7v4NfDGDKfA";

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void acme4jBuildsItAndItsDigestAgreesWithAcme4jsThumbprint(KeyType type) throws Exception {
        KeyPair key = Keys.generate(type);
        Session session = new Session(URI.create("https://ca.test/dir"));
        Login login = session.login(new URL("https://ca.test/acct/1"), key);
        JSON json = JSON.parse("{\"type\":\"email-reply-00\",\"url\":\"https://ca.test/chall/1\",\"status\":\"pending\","
                + "\"from\":\"acme-challenge@ca.test\",\"token\":\"" + TOKEN_PART2 + "\"}");

        Challenge challenge = login.createChallenge(json);

        assertThat(challenge).isInstanceOf(EmailReply00Challenge.class);
        EmailReply00Challenge reply = (EmailReply00Challenge) challenge;
        assertThat(reply.getFrom()).isEqualTo("acme-challenge@ca.test");
        assertThat(reply.getTokenPart2()).isEqualTo(TOKEN_PART2);
        String keyAuthorization = TOKEN_PART1 + TOKEN_PART2 + "."
                + AcmeUtils.base64UrlEncode(JoseUtils.thumbprint(key.getPublic()));
        assertThat(reply.digest(TOKEN_PART1)).isEqualTo(AcmeUtils.base64UrlEncode(AcmeUtils.sha256hash(keyAuthorization)));
    }
}
