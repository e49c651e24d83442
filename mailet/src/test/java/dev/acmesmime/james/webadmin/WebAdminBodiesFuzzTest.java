package dev.acmesmime.james.webadmin;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.apache.james.webadmin.utils.JsonExtractException;
import org.apache.james.webadmin.utils.JsonExtractor;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import dev.acmesmime.ca.ChallengeRecorder;
import dev.acmesmime.fuzz.Campaign;
import dev.acmesmime.fuzz.Choices;
import dev.acmesmime.fuzz.FreshStore;
import dev.acmesmime.fuzz.Mutator;
import dev.acmesmime.organisation.RegistrationRequest;
import dev.acmesmime.organisation.RegistrationRequest.InvalidRegistrationException;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.PendingChallenge;
import spark.HaltException;

/**
 * Fuzz target: the WebAdmin JSON bodies, read as the routes read them. {@code PUT
 * /acme-smime/pending-challenges/{mailbox}}: {@link OrganisationRoutes}' extractor, then
 * {@link RegistrationRequest#validate}, then the store; {@code POST /acme-smime/challenges}:
 * {@link ChallengeNoticeExtractor}, then {@link ChallengeRecorder#register}. Invariants (core's {@code Campaign}):
 * every body ends in a refusal the route turns into a 4xx (a {@link JsonExtractException}, an
 * {@link InvalidRegistrationException}, a {@link HaltException}, an invalid {@link ChallengeRecorder.Result}) or
 * in a stored record, never in another exception (a 500), and within the CPU budget.
 */
class WebAdminBodiesFuzzTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:00:00Z");
    private static final String PENDING = "{\"from\":\"acme@ca.example\",\"tokenPart2\":\"DGyRejmCefe7v4NfDGDKfA\","
            + "\"accountThumbprint\":\"LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ\","
            + "\"challengeUrl\":\"https://ca.example/acme/chall/1\",\"expires\":\"2026-11-29T10:00:00Z\"}";

    private static final List<byte[]> SEEDS = List.of(PENDING, PENDING.replace("\"expires\"", "\"expire\""),
                    PENDING.replace("\"acme@", "12, \"x\":\"acme@"),
                    CaRoutesFixtures.notice("<c1@ca.example>", CaRoutesFixtures.TOKEN, "alice@example.org", null),
                    CaRoutesFixtures.notice("<c2@ca.example>", CaRoutesFixtures.TOKEN, "bob@example.org",
                            "2026-11-28T09:00:00Z"),
                    "{\"messageId\":[],\"tokenPart1\":{\"a\":null}}", "[]", "null", "\"\\ud800\"", "{}")
            .stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();

    private static final class Target {
        static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
        static final JsonExtractor<OrganisationRoutes.PendingChallengeRequest> PENDING_BODIES =
                new JsonExtractor<>(OrganisationRoutes.PendingChallengeRequest.class);
        static final ChallengeNoticeExtractor NOTICES = new ChallengeNoticeExtractor();
        static final FreshStore<AcmeSmimeStore> STORE = new FreshStore<>(CLOCK, store -> store);
        static final Campaign CAMPAIGN = Campaign.of("webadmin-json");
    }

    /** The seeds: valid bodies of both routes, and a few that are not. */
    static List<byte[]> seeds() {
        return SEEDS;
    }

    @FuzzTest(maxDuration = "15s")
    void bodies(FuzzedDataProvider data) {
        fuzzerTestOneInput(data);
    }

    /** One input: Jazzer's entry point. The first choice picks the route. */
    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        Choices choices = Choices.of(data);
        boolean pending = choices.number(0, 1) == 0;
        check(pending, Mutator.mail(choices, SEEDS));
    }

    /** The invariants on one body. */
    static String check(boolean pending, byte[] body) {
        AcmeSmimeStore store = Target.STORE.next();
        String text = new String(body, StandardCharsets.UTF_8);
        return Target.CAMPAIGN.run(body, b -> pending ? putPending(store, text) : postNotice(store, text));
    }

    private static String putPending(AcmeSmimeStore store, String body) {
        try {
            OrganisationRoutes.PendingChallengeRequest r = Target.PENDING_BODIES.parse(body);
            if (r == null) {
                return "400 not an object"; // as OrganisationRoutes.register answers it
            }
            PendingChallenge.Registration registration = new RegistrationRequest("alice@org.example", r.from(),
                    r.tokenPart2(), r.accountThumbprint(), r.challengeUrl(), r.expires()).validate(NOW);
            return store.pendingChallenges().register(registration) ? "204" : "409";
        } catch (JsonExtractException | InvalidRegistrationException e) {
            return "400 " + e.getMessage();
        }
    }

    private static String postNotice(AcmeSmimeStore store, String body) {
        try {
            ChallengeRecorder.Result result = new ChallengeRecorder(store, Target.CLOCK)
                    .register(Target.NOTICES.extract(body).toNotice(), "fuzz");
            return result.outcome().code();
        } catch (HaltException e) {
            return e.statusCode() + " " + e.body();
        }
    }
}
