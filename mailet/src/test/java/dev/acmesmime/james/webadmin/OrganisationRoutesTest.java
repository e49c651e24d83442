package dev.acmesmime.james.webadmin;

import static dev.acmesmime.james.webadmin.RouteTestServer.error;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.apache.james.user.memory.MemoryUsersRepository;
import org.eclipse.jetty.http.HttpStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.organisation.ChallengeResponder;
import dev.acmesmime.organisation.DkimKeyDirectory;
import dev.acmesmime.rfc8823.AcmeMailInspector;
import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.OutgoingResponse;
import dev.acmesmime.store.PendingChallenge;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.MutableClock;
import dev.acmesmime.testing.TestChallenge;
import io.restassured.RestAssured;

/**
 * {@link OrganisationRoutes} on a real WebAdmin server, backed by the H2 store of a runtime in a temporary
 * home and James's in-memory users repository (virtual hosting, as the org configuration has it).
 */
class OrganisationRoutesTest {
    static final String ALICE = "alice@org.example";
    static final String CA = "acme@ca.example";
    static final String THUMBPRINT = "LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ";
    static final String URL = "https://ca.example/acme/chall/1";
    static final String PENDING = OrganisationRoutes.BASE_PATH + "/pending-challenges/";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path home;
    MutableClock clock;
    AcmeSmimeRuntime runtime;
    RouteTestServer server;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        runtime = new AcmeSmimeRuntime(home, clock);
        MemoryUsersRepository users = RouteTestServer.users("org.example", ALICE);
        server = RouteTestServer.start(new OrganisationRoutes(runtime, users));
        RestAssured.requestSpecification = server.specification();
    }

    @AfterEach
    void tearDown() {
        RestAssured.reset();
        server.close();
        runtime.close();
    }

    ObjectNode registration(String url) {
        return JSON.createObjectNode().put("from", CA).put("tokenPart2", "DGyRejmCefe7v4NfDGDKfA")
                .put("accountThumbprint", THUMBPRINT).put("challengeUrl", url)
                .put("expires", clock.instant().plus(Duration.ofHours(1)).toString());
    }

    void register(String url) {
        given().body(registration(url).toString()).put(PENDING + ALICE).then().statusCode(HttpStatus.NO_CONTENT_204);
    }

    @Nested
    class PutPendingChallenge {
        @Test
        void aValidRegistration_is204_andItsTokenPart2IsNeverShown() {
            given().body(registration(URL).toString()).put(PENDING + ALICE).then().statusCode(HttpStatus.NO_CONTENT_204)
                    .body(equalTo(""));
            assertThat(runtime.store().pendingChallenges().findByMailbox(ALICE, 10)).singleElement()
                    .satisfies(p -> assertThat(p.challengeUrl()).hasToString(URL));
            assertThat(when().get(PENDING + ALICE).then().extract().asString()).doesNotContain("DGyRejmCefe7v4NfDGDKfA");
        }

        @Test
        void theSameChallengeUrlAgain_is409() {
            register(URL);
            error(given().body(registration(URL).toString()).put(PENDING + ALICE).then(),
                    HttpStatus.CONFLICT_409, "WrongState")
                    .body("message", equalTo("a challenge with challengeUrl " + URL + " is registered already"));
        }

        @Test
        void aMailboxThatIsNotAUserHere_is404() {
            error(given().body(registration(URL).toString()).put(PENDING + "nobody@org.example").then(),
                    HttpStatus.NOT_FOUND_404, "notFound").body("message", equalTo("nobody@org.example is not a user of this server"));
        }

        @Test
        void aPathThatIsNotAMailbox_is400() {
            error(given().body(registration(URL).toString()).put(PENDING + "not-a-mailbox").then(),
                    HttpStatus.BAD_REQUEST_400, "InvalidArgument").body("message", equalTo("'mailbox' is not a mailbox (local@domain)"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"from", "tokenPart2", "accountThumbprint", "challengeUrl", "expires"})
        void aMissingField_is400_namingIt(String field) {
            ObjectNode body = registration(URL);
            body.remove(field);
            error(given().body(body.toString()).put(PENDING + ALICE).then(), HttpStatus.BAD_REQUEST_400,
                    "InvalidArgument").body("message", equalTo("'" + field + "' is required"));
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "from|not an address|'from' is not a mailbox (local@domain)",
            "tokenPart2|not base64!|'tokenPart2' must be base64url",
            "accountThumbprint|short|'accountThumbprint' must be the base64url SHA-256 JWK thumbprint (43 characters)",
            "challengeUrl|ftp://ca.example/c|'challengeUrl' must be an absolute http(s) URL of at most 2048 characters",
            "challengeUrl|https://ca example/c|'challengeUrl' is not a URL",
            "expires|tomorrow|'expires' must be an ISO-8601 instant such as 2026-12-01T10:00:00Z",
            "expires|2020-01-01T00:00:00Z|'expires' must be in the future"})
        void aBadValue_is400_namingTheField(String testCase) {
            String[] c = testCase.split("\\|");
            error(given().body(registration(URL).put(c[0], c[1]).toString()).put(PENDING + ALICE).then(),
                    HttpStatus.BAD_REQUEST_400, "InvalidArgument").body("message", equalTo(c[2]));
            assertThat(runtime.store().pendingChallenges().findByMailbox(ALICE, 10)).isEmpty();
        }

        @Test
        void aBodyThatIsNotJson_is400() {
            error(given().body("{from:").put(PENDING + ALICE).then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument")
                    .body("message", startsWith("the body must be JSON {from, tokenPart2, accountThumbprint, challengeUrl, expires}: "));
        }

        @Test
        void theJsonLiteralNull_is400_notA500() {
            // found by the fuzzing campaign (issue 14): null parsed to no request, then a NullPointerException
            error(given().body("null").put(PENDING + ALICE).then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument")
                    .body("message", startsWith("the body must be JSON {from, tokenPart2, accountThumbprint, challengeUrl, expires}"));
        }
    }

    @Nested
    class GetPendingChallenges {
        @Test
        void registeredChallenges_areListedNewestFirst() {
            register(URL);
            clock.advance(Duration.ofMinutes(1));
            register(URL + "0");
            PendingChallenge first = runtime.store().pendingChallenges().findByMailbox(ALICE, 10).get(1);
            String body = when().get(PENDING + ALICE).then().statusCode(HttpStatus.OK_200).contentType("application/json")
                    .body("challengeUrl", equalTo(List.of(URL + "0", URL))).extract().asString();
            assertThat(body).endsWith(",{\"challengeUrl\":\"" + URL + "\",\"mailbox\":\"" + ALICE + "\",\"from\":\"" + CA
                    + "\",\"status\":\"pending\",\"createdAt\":\"" + first.createdAt() + "\",\"expires\":\"" + first.expiresAt()
                    + "\",\"answeredAt\":null,\"responseMessageId\":null,\"lastError\":null}]");
        }

        @Test
        void aChallengePastItsExpiry_isExpired() {
            register(URL);
            clock.advance(Duration.ofHours(2));
            when().get(PENDING + ALICE).then().statusCode(HttpStatus.OK_200).body("status", equalTo(List.of("expired")));
        }

        @Test
        void aClaimedChallengeWhoseResponseTheSpoolRefused_isAnsweringWithTheLastError_untilSent() {
            register(URL);
            URI url = URI.create(URL);
            AcmeSmimeStore store = runtime.store();
            store.inTransaction(() -> {
                store.pendingChallenges().markAnswering(url, "<r@org.test>");
                return store.responseOutbox().enqueue(new OutgoingResponse.Content(url, ALICE, ALICE, CA, "<r@org.test>",
                        new byte[] {'x'}, clock.instant().plus(Duration.ofHours(1))));
            });
            store.responseOutbox().retryLater(url, "MessagingException: spool refused");

            when().get(PENDING + ALICE).then().statusCode(HttpStatus.OK_200)
                    .body("status", equalTo(List.of("answering")))
                    .body("lastError", equalTo(List.of("MessagingException: spool refused")))
                    .body("responseMessageId", equalTo(List.of("<r@org.test>")));

            clock.advance(Duration.ofMinutes(1));
            assertThat(store.responseOutbox().claimDue(1)).hasSize(1);
            store.responseOutbox().markSent(url);
            when().get(PENDING + ALICE).then().statusCode(HttpStatus.OK_200)
                    .body("status", equalTo(List.of("answered"))).body("lastError[0]", nullValue());
        }

        @Test
        void nothingRegistered_is404() {
            error(when().get(PENDING + ALICE).then(), HttpStatus.NOT_FOUND_404, "notFound")
                    .body("message", equalTo("no challenge is registered for " + ALICE));
        }

        @Test
        void aPathThatIsNotAMailbox_is400() {
            error(when().get(PENDING + "not-a-mailbox").then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument")
                    .body("message", equalTo("'mailbox' is not a mailbox (local@domain)"));
        }
    }

    @Nested
    class GetDecisions {
        final String decisions = OrganisationRoutes.DECISIONS;

        @Test
        void noDecisions_isAnEmptyArray() {
            given().queryParam("mailbox", ALICE).get(decisions).then().statusCode(HttpStatus.OK_200)
                    .contentType("application/json").body("$", empty());
        }

        @Test
        void theRespondersDecision_isShownWithItsCodes() throws Exception {
            register(URL);
            ChallengeResponder responder = ChallengeResponder.builder().store(runtime.store()).clock(clock)
                    .inspector(AcmeMailInspector.builder().clock(clock).authenticity(DkimPolicyVerifier.builder()
                            .keyResolver(DkimKeyResolver.builder().server("127.0.0.1:" + FreePorts.udp()).build()).build()).build())
                    .signingKeys(DkimKeyDirectory.open(Files.createDirectories(home.resolve("dkim")), clock)).build();
            TestChallenge challenge = TestChallenge.builder().from(CA).to(ALICE).messageId("<c1@ca.example>");
            responder.respond(challenge.build(), CA, ALICE);

            given().queryParam("mailbox", ALICE).get(decisions).then().statusCode(HttpStatus.OK_200)
                    .body("$", hasSize(1)).body("[0].decision", equalTo("ignored"))
                    .body("[0].codes", equalTo(List.of("dkim-none"))).body("[0].challengeMessageId", equalTo("<c1@ca.example>"))
                    .body("[0].tokenPart1", equalTo(challenge.token())).body("[0].detail", startsWith("codes=dkim-none"))
                    .body("[0].time", equalTo(clock.instant().toString()));
        }

        @Test
        void theBoundsOfLimit_areAccepted() {
            given().queryParam("mailbox", ALICE).queryParam("limit", "1").get(decisions).then().statusCode(HttpStatus.OK_200);
            given().queryParam("mailbox", ALICE).queryParam("limit", "1000").get(decisions).then().statusCode(HttpStatus.OK_200);
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "1001", "many"})
        void aLimitOutOfRange_is400(String limit) {
            error(given().queryParam("mailbox", ALICE).queryParam("limit", limit).get(decisions).then(),
                    HttpStatus.BAD_REQUEST_400, "InvalidArgument").body("message", equalTo("'limit' must be between 1 and 1000"));
        }

        @Test
        void aMissingOrBadMailbox_is400() {
            error(when().get(decisions).then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument")
                    .body("message", equalTo("'mailbox' is required"));
            error(given().queryParam("mailbox", "nobody").get(decisions).then(), HttpStatus.BAD_REQUEST_400,
                    "InvalidArgument").body("message", equalTo("'mailbox' is not a mailbox (local@domain)"));
        }
    }
}
