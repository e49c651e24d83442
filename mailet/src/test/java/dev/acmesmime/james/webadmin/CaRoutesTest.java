package dev.acmesmime.james.webadmin;

import static dev.acmesmime.james.webadmin.RouteTestServer.error;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import org.eclipse.jetty.http.HttpStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.EvidenceRecord;
import dev.acmesmime.store.OutboxItem;
import io.restassured.RestAssured;

/** {@link CaRoutes} on a real WebAdmin server, backed by the H2 store of a runtime in a temporary home. */
class CaRoutesTest {
    static final String FIELDS = "[createdAt, messageId, recipient, responseAddress, tokenPart1]";

    @TempDir
    Path home;
    AcmeSmimeRuntime runtime;
    RouteTestServer server;
    CaRoutesFixtures fixtures;

    @BeforeEach
    void setUp() {
        runtime = new AcmeSmimeRuntime(home, Clock.systemUTC());
        server = RouteTestServer.start(new CaRoutes(runtime));
        RestAssured.requestSpecification = server.specification();
        fixtures = new CaRoutesFixtures(runtime.store());
    }

    @AfterEach
    void tearDown() {
        RestAssured.reset();
        server.close();
        runtime.close();
    }

    @Nested
    class PostChallenge {
        final Instant createdAt = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        final String notice = CaRoutesFixtures.notice("<c1@ca.example>", CaRoutesFixtures.TOKEN, "alice@example.org",
                createdAt.toString());

        @Test
        void newFacts_are201_withTheFactsRecorded() {
            String body = given().body(notice).post(CaRoutes.CHALLENGES).then().statusCode(HttpStatus.CREATED_201)
                    .contentType("application/json").extract().asString();
            assertThat(body).isEqualTo("{\"outcome\":\"registered\",\"messageId\":\"<c1@ca.example>\",\"tokenPart1\":\""
                    + CaRoutesFixtures.TOKEN + "\",\"recipient\":\"alice@example.org\",\"responseAddress\":\"acme+t1@ca.example\","
                    + "\"tag\":\"t1\",\"createdAt\":\"" + createdAt + "\",\"expiresAt\":\"" + createdAt.plus(Duration.ofHours(24)) + "\"}");
        }

        @Test
        void theSameFactsAgain_are200_alreadyRegistered_withTheFirstFacts() {
            given().body(notice).post(CaRoutes.CHALLENGES);
            given().body(notice).post(CaRoutes.CHALLENGES).then().statusCode(HttpStatus.OK_200)
                    .body("outcome", equalTo("already-registered")).body("createdAt", equalTo(createdAt.toString()));
        }

        @Test
        void otherFactsUnderThatMessageId_are409_andChangeNothing() {
            given().body(notice).post(CaRoutes.CHALLENGES);
            error(given().body(CaRoutesFixtures.notice("<c1@ca.example>", CaRoutesFixtures.TOKEN, "mallory@example.org", null))
                    .post(CaRoutes.CHALLENGES).then(), HttpStatus.CONFLICT_409, "WrongState")
                    .body("message", equalTo("'messageId' <c1@ca.example> is registered with other facts: recipient differ"));
            assertThat(runtime.store().issuedChallenges().find("<c1@ca.example>")).hasValueSatisfying(
                    c -> assertThat(c.identifier()).isEqualTo("alice@example.org"));
        }

        @Test
        void aResponseAddressWithoutTag_isRecordedWithoutTag() {
            given().body(CaRoutesFixtures.notice("<c2@ca.example>", CaRoutesFixtures.TOKEN, "bob@example.org", null)
                            .replace("acme+t1@", "acme@")).post(CaRoutes.CHALLENGES)
                    .then().statusCode(HttpStatus.CREATED_201).body("$", not(hasKey("tag")));
        }

        @Test
        void aNullField_countsAsAbsent() {
            given().body(CaRoutesFixtures.notice("<c3@ca.example>", CaRoutesFixtures.TOKEN, "carol@example.org", null)
                            .replace("}", ",\"createdAt\":null}")).post(CaRoutes.CHALLENGES)
                    .then().statusCode(HttpStatus.CREATED_201);
        }

        @ParameterizedTest
        @ValueSource(strings = {"[1,2]", "", "null", "\"text\"", "42", "{\"messageId\":", "{not json}"})
        void aBodyThatIsNotAJsonObject_is400(String body) {
            error(given().body(body).post(CaRoutes.CHALLENGES).then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument")
                    .body("message", equalTo("the body must be a JSON object with the fields " + FIELDS));
        }

        @Test
        void anUnknownField_is400_namingIt_soThatATypoDoesNotPassAsAbsent() {
            error(given().body("{\"messageId\":\"<c4@ca.example>\",\"createAt\":\"2026-11-28T10:00:00Z\"}")
                    .post(CaRoutes.CHALLENGES).then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument")
                    .body("message", equalTo("\"createAt\" is not a field of a challenge notice " + FIELDS));
        }

        @ParameterizedTest
        @ValueSource(strings = {"42", "true", "{}", "[\"<c5@ca.example>\"]"})
        void aValueThatIsNotAString_is400_namingTheField(String value) {
            error(given().body("{\"messageId\":" + value + "}").post(CaRoutes.CHALLENGES).then(),
                    HttpStatus.BAD_REQUEST_400, "InvalidArgument").body("message", equalTo("'messageId' must be a string"));
        }

        @Test
        void valuesCoreRefuses_are400_withCoresReason_andAudited() {
            error(given().body(CaRoutesFixtures.notice("<c6@ca.example>", "AAAAAAAAAAA", "dave@example.org", null))
                    .post(CaRoutes.CHALLENGES).then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument")
                    .body("message", startsWith("'tokenPart1' token-too-short"));
            error(given().body("{}").post(CaRoutes.CHALLENGES).then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument")
                    .body("message", startsWith("'messageId' "));
            assertThat(runtime.store().audit().find(fixtures.all())).extracting(AuditRecord::outcome)
                    .containsOnly(Optional.of("invalid")).hasSize(2);
        }
    }

    @Nested
    class GetAudit {
        @Test
        void noRecords_isAnEmptyArray() {
            when().get(CaRoutes.AUDIT).then().statusCode(HttpStatus.OK_200).contentType("application/json").body("$", empty());
        }

        @Test
        void records_areListedOldestFirst_withoutTheirAbsentValues() {
            AuditRecord first = fixtures.audit("alice@example.org", "registered");
            fixtures.audit("bob@example.org", "conflict");
            String body = given().queryParam("address", "alice@example.org").get(CaRoutes.AUDIT).then()
                    .statusCode(HttpStatus.OK_200).extract().asString();
            assertThat(body).isEqualTo("[{\"id\":" + first.id() + ",\"occurredAt\":\"" + first.occurredAt()
                    + "\",\"event\":\"challenge-registered\",\"address\":\"alice@example.org\",\"outcome\":\"registered\"}]");
            given().queryParam("limit", "1").get(CaRoutes.AUDIT).then().body("address", equalTo(List.of("alice@example.org")));
        }

        @Test
        void blankParameters_countAsAbsent_andTheBoundsOfLimitAreAccepted() {
            fixtures.audit("alice@example.org", "registered");
            given().queryParam("address", "").queryParam("since", " ").get(CaRoutes.AUDIT).then().body("$", hasSize(1));
            given().queryParam("limit", "10000").get(CaRoutes.AUDIT).then().statusCode(HttpStatus.OK_200);
            given().queryParam("since", Instant.now().plusSeconds(60).toString()).get(CaRoutes.AUDIT).then().body("$", empty());
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "10001", "many", "-1"})
        void aLimitOutOfRange_is400(String limit) {
            error(given().queryParam("limit", limit).get(CaRoutes.AUDIT).then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument")
                    .body("message", equalTo("'limit' must be a number from 1 to 10000, got '" + limit + "'"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"since", "until"})
        void aBadInstant_is400_namingTheParameter(String name) {
            error(given().queryParam(name, "yesterday").get(CaRoutes.AUDIT).then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument")
                    .body("message", equalTo("'" + name + "' must be an ISO-8601 instant such as 2026-11-28T00:00:00Z, got 'yesterday'"));
        }
    }

    @Nested
    class ExportAudit {
        @Test
        void auditAndEvidenceRecords_areJsonLines_typedAuditOrEvidence() {
            AuditRecord a = fixtures.audit("alice@example.org", "registered");
            EvidenceRecord e = fixtures.evidence("{\"checks\":[]}");
            String body = given().queryParam("address", "alice@example.org").get(CaRoutes.EXPORT).then()
                    .statusCode(HttpStatus.OK_200).contentType(CaRoutes.NDJSON_CONTENT_TYPE).extract().asString();
            assertThat(body).isEqualTo("{\"id\":" + a.id() + ",\"occurredAt\":\"" + a.occurredAt()
                    + "\",\"event\":\"challenge-registered\",\"address\":\"alice@example.org\",\"outcome\":\"registered\",\"type\":\"audit\"}\n"
                    + CaRoutesFixtures.evidenceJson(e, "\"record\":{\"checks\":[]}") + "\n");
        }

        @Test
        void aBadParameter_is400_asForTheAudit() {
            error(given().queryParam("until", "soon").get(CaRoutes.EXPORT).then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument")
                    .body("message", startsWith("'until' must be an ISO-8601 instant"));
        }
    }

    @Nested
    class GetEvidence {
        @Test
        void aRecord_isShownWithItsStoredJson() {
            EvidenceRecord e = fixtures.evidence("{\"dkim\":{\"result\":\"pass\"}}");
            assertThat(when().get(CaRoutes.BASE + "/evidence/" + e.id()).then().statusCode(HttpStatus.OK_200)
                    .contentType("application/json").extract().asString())
                    .isEqualTo(CaRoutesFixtures.evidenceJson(e, "\"record\":{\"dkim\":{\"result\":\"pass\"}}"));
        }

        @Test
        void aRecordThatIsNotJson_isShownInBase64() {
            EvidenceRecord e = fixtures.evidence("not json {");
            when().get(CaRoutes.BASE + "/evidence/" + e.id()).then().statusCode(HttpStatus.OK_200)
                    .body("recordBase64", equalTo(Base64.getEncoder().encodeToString("not json {".getBytes(StandardCharsets.UTF_8))))
                    .body("$", not(hasKey("record")));
        }

        @Test
        void anUnknownId_is404() {
            error(when().get(CaRoutes.BASE + "/evidence/999").then(), HttpStatus.NOT_FOUND_404, "notFound")
                    .body("message", equalTo("no evidence record 999"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "0", "-3", "99999999999999999999"})
        void anIdThatIsNotAPositiveNumber_is400(String id) {
            error(when().get(CaRoutes.BASE + "/evidence/" + id).then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument")
                    .body("message", equalTo("'id' must be a positive number, got '" + id + "'"));
        }
    }

    @Nested
    class GetOutbox {
        @Test
        void anEmptyOutbox_isAnEmptyArray() {
            when().get(CaRoutes.OUTBOX).then().statusCode(HttpStatus.OK_200).contentType("application/json").body("$", empty());
        }

        @Test
        void pendingItemsThenFailedOnes_areListed_withWhatTheyCarry_butNeverTheirBodyOrHeaders() {
            OutboxItem failed = fixtures.failedForward("HTTP 400 from the ACME server");
            OutboxItem pending = fixtures.forward("alice@example.org");
            String body = when().get(CaRoutes.OUTBOX).then().statusCode(HttpStatus.OK_200)
                    .body("id", equalTo(List.of((int) pending.id(), (int) failed.id())))
                    .body("[1].state", equalTo("failed")).body("[1].lastError", equalTo("HTTP 400 from the ACME server"))
                    .body("[1].finishedAt", not(nullValue())).extract().asString();
            assertThat(body).startsWith("[" + CaRoutesFixtures.outboxJson(pending, "pending", 0)
                    + "\"contract\":\"native\",\"validationId\":\"v-1\",\"address\":\"alice@example.org\",\"token\":\""
                    + CaRoutesFixtures.TOKEN + "\",\"expiresAt\":\"" + CaRoutesFixtures.EXPIRES + "\"},")
                    .doesNotContain("\"body\"").doesNotContain("\"headers\"").doesNotContain("secret");
        }

        @Test
        void anEnvelopeWithoutAddress_showsNull_andAnUnreadablePayload_saysSo() {
            OutboxItem noAddress = fixtures.forward(null);
            OutboxItem junk = runtime.store().outbox().enqueue("http://acme.test/r", "junk".getBytes(StandardCharsets.UTF_8));
            String body = when().get(CaRoutes.OUTBOX).then().statusCode(HttpStatus.OK_200).extract().asString();
            assertThat(body).contains("\"validationId\":\"v-1\",\"address\":null,")
                    .endsWith(CaRoutesFixtures.outboxJson(junk, "pending", 0) + "\"payload\":\"unreadable\"}]");
            assertThat(noAddress.id()).isLessThan(junk.id());
        }
    }

    @Nested
    class RetryOutboxItem {
        @Test
        void aFailedItem_is204_andPendingAgain() {
            OutboxItem failed = fixtures.failedForward("HTTP 400");
            when().post(CaRoutes.BASE + "/outbox/" + failed.id() + "/retry").then().statusCode(HttpStatus.NO_CONTENT_204)
                    .body(equalTo(""));
            when().get(CaRoutes.OUTBOX).then().body("state", equalTo(List.of("pending")));
        }

        @Test
        void aPendingOrUnknownItem_is404() {
            OutboxItem pending = fixtures.forward("alice@example.org");
            error(when().post(CaRoutes.BASE + "/outbox/" + pending.id() + "/retry").then(), HttpStatus.NOT_FOUND_404, "notFound")
                    .body("message", equalTo("no failed outbox item " + pending.id()));
            error(when().post(CaRoutes.BASE + "/outbox/999/retry").then(), HttpStatus.NOT_FOUND_404, "notFound")
                    .body("message", equalTo("no failed outbox item 999"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "0", "1.5"})
        void anIdThatIsNotAPositiveNumber_is400(String id) {
            error(when().post(CaRoutes.BASE + "/outbox/" + id + "/retry").then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument")
                    .body("message", equalTo("'id' must be a positive number, got '" + id + "'"));
        }
    }
}
