package dev.acmesmime.testca.negative;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A pending order for one email address, followed to its {@code email-reply-00} challenge and the challenge
 * mail the sink caught: what every test past newOrder starts from.
 *
 * @param account      who ordered
 * @param orderUrl     the order (Location of newOrder)
 * @param order        the order object as newOrder returned it
 * @param authorization the authorization URL
 * @param challengeUrl the challenge URL
 * @param token        the challenge's {@code token} (token-part2)
 * @param from         the challenge's {@code from}
 * @param mail         the challenge mail
 */
public record EmailOrder(Account account, String orderUrl, JsonNode order, String authorization,
                         String challengeUrl, String token, String from, ChallengeMailSeen mail) {

    /** RFC 8823 §3 challenge type. */
    public static final String TYPE = "email-reply-00";

    /** Orders {@code address} as {@code account} and reads its challenge and mail. */
    public static EmailOrder place(TestCaHarness ca, RawAcmeClient client, Account account, String address) {
        AcmeResponse created = client.newOrder(account, address);
        if (created.status() != 201 || created.location().isEmpty()) {
            throw new IllegalStateException("newOrder: " + created);
        }
        String authz = created.json().path("authorizations").path(0).asText();
        AcmeResponse a = client.get(account, authz);
        JsonNode challenge = null;
        for (JsonNode c : a.json().path("challenges")) {
            if (TYPE.equals(c.path("type").asText())) {
                challenge = c;
            }
        }
        if (challenge == null) {
            throw new IllegalStateException("no " + TYPE + " challenge in " + a);
        }
        return new EmailOrder(account, created.location().get(), created.json(), authz,
                challenge.path("url").asText(), challenge.path("token").asText(), challenge.path("from").asText(),
                ca.challengeMailTo(address));
    }

    /** The challenge object now (POST-as-GET). */
    public JsonNode challenge(RawAcmeClient client) {
        return client.get(account, challengeUrl).json();
    }

    /** The client's half of the validation: POST {@code {}} to the challenge URL (RFC 8555 §7.5.1). */
    public AcmeResponse respond(RawAcmeClient client) {
        return client.post(client.as(account, challengeUrl).payload("{}"));
    }

    /** Both halves, then waits for the authorization to be valid. */
    public EmailOrder validate(TestCaHarness ca, RawAcmeClient client) {
        ResultPoster.Answer answer = ca.results().correct(mail, token, account);
        if (answer.status() / 100 != 2) {
            throw new IllegalStateException("the correct result was refused: " + answer);
        }
        respond(client);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.get(account, authorization).json().path("status").asText(), "valid"::equals);
        return this;
    }

    /** The order's status now. */
    public String orderStatus(RawAcmeClient client) {
        return client.get(account, orderUrl).json().path("status").asText();
    }
}
