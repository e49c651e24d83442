package dev.acmesmime.james.webadmin;

import static dev.acmesmime.james.webadmin.RouteTestServer.error;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import org.apache.james.task.Hostname;
import org.apache.james.task.MemoryTaskManager;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.eclipse.jetty.http.HttpStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.acmesmime.james.enrolment.EnrolmentService;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.store.SecretBytes;
import dev.acmesmime.testing.MutableClock;
import io.restassured.RestAssured;

/**
 * {@link EnrolmentRoutes} on a real WebAdmin server, backed by the H2 store of a runtime in a temporary
 * home: enrolments in each state are stored as the engine stores them, and read back over HTTP.
 */
class EnrolmentRoutesTest {
    static final String ALICE = "alice@org.example";
    static final String BOB = "bob@org.example";
    static final String CAROL = "carol@org.example";
    static final String DAVE = "dave@other.example";
    static final String ERIN = "erin@org.example";
    static final String RATE_LIMITED = "urn:ietf:params:acme:error:rateLimited";
    static final String CHAIN = "-----BEGIN CERTIFICATE-----\nMIIBleaf\n-----END CERTIFICATE-----\n"
            + "-----BEGIN CERTIFICATE-----\nMIIBintermediate\n-----END CERTIFICATE-----\n";
    static final byte[] KEY = "PKCS8-private-key-bytes".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path home;
    MutableClock clock;
    AcmeSmimeRuntime runtime;
    RouteTestServer server;
    Instant expiry;
    MemoryTaskManager tasks;

    @BeforeEach
    void setUp() throws Exception {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        expiry = clock.instant().plus(90, ChronoUnit.DAYS);
        runtime = new AcmeSmimeRuntime(home, clock);
        MemoryUsersRepository users = RouteTestServer.users("org.example", ALICE);
        tasks = new MemoryTaskManager(new Hostname("test"));
        server = RouteTestServer.start(new EnrolmentRoutes(runtime, users, new EnrolmentService(runtime, users), tasks));
        RestAssured.requestSpecification = server.specification();
        seed();
    }

    @AfterEach
    void tearDown() {
        RestAssured.reset();
        server.close();
        tasks.stop();
        runtime.close();
    }

    /** Alice issued, Bob posted and retrying, Carol failed on a rate limit, Dave (another domain) and Erin new. */
    void seed() {
        var store = runtime.store().enrolments();
        store.save(Enrolment.of(ALICE).withProfile("test-ca").withStep(EnrolmentStep.ISSUED)
                .withSchedule(0, expiry.minus(30, ChronoUnit.DAYS))
                .withCertificate(CHAIN, "0a1b", "aKi.0a1b", clock.instant(), expiry)
                .withPrivateKey(SecretBytes.of(KEY)));
        store.save(Enrolment.of(BOB).withProfile("test-ca").withStep(EnrolmentStep.POSTED).withSchedule(2, clock.instant())
                .withOrderUrl(URI.create("https://ca.test/order/2")).withProblem(null, "connection refused"));
        store.save(Enrolment.of(CAROL).withProfile("test-ca").withStep(EnrolmentStep.FAILED)
                .withProblem(RATE_LIMITED, "too many new orders"));
        store.save(Enrolment.of(DAVE));
        store.save(Enrolment.of(ERIN));
    }

    @Nested
    class List {
        @Test
        void everyEnrolment_inMailboxOrder_withItsStatus() {
            when().get(EnrolmentRoutes.BASE_PATH).then().statusCode(HttpStatus.OK_200)
                    .body("mailbox", contains(ALICE, BOB, CAROL, DAVE, ERIN))
                    .body("status", contains("issued", "pending", "failed", "none", "none"))
                    .body("step", contains("issued", "posted", "failed", "none", "none"));
        }

        @Test
        void issued_showsItsExpiry_andNeverItsKey() {
            String body = given().queryParam("status", "issued").get(EnrolmentRoutes.BASE_PATH).then()
                    .statusCode(HttpStatus.OK_200).body("mailbox", contains(ALICE))
                    .body("[0].expires", equalTo(expiry.toString())).body("[0].profile", equalTo("test-ca"))
                    .extract().asString();
            assertThat(body).doesNotContain("PKCS8", Base64.getEncoder().encodeToString(KEY), "privateKey", "MIIB");
        }

        @Test
        void pending_isEveryStepWithALiveOrder_withItsRetries() {
            given().queryParam("status", "pending").get(EnrolmentRoutes.BASE_PATH).then().statusCode(HttpStatus.OK_200)
                    .body("mailbox", contains(BOB)).body("[0].step", equalTo("posted"))
                    .body("[0].attempts", equalTo(2)).body("[0].reason", equalTo("connection refused"))
                    .body("[0].problemType", nullValue());
        }

        @Test
        void failed_showsTheReasonAndTheCaProblemType() {
            given().queryParam("status", "FAILED").get(EnrolmentRoutes.BASE_PATH).then().statusCode(HttpStatus.OK_200)
                    .body("mailbox", contains(CAROL)).body("[0].reason", equalTo("too many new orders"))
                    .body("[0].problemType", equalTo(RATE_LIMITED));
        }

        @Test
        void byDomainAndStatus() {
            given().queryParam("domain", "ORG.example").queryParam("status", "none").get(EnrolmentRoutes.BASE_PATH)
                    .then().statusCode(HttpStatus.OK_200).body("mailbox", contains(ERIN));
        }

        @Test
        void pagedByLimitAndAfter() {
            given().queryParam("limit", 2).get(EnrolmentRoutes.BASE_PATH).then().body("mailbox", contains(ALICE, BOB));
            given().queryParam("limit", 2).queryParam("after", BOB).get(EnrolmentRoutes.BASE_PATH).then()
                    .body("mailbox", contains(CAROL, DAVE));
        }

        @Test
        void anUnknownStatus_is400() {
            error(given().queryParam("status", "done").get(EnrolmentRoutes.BASE_PATH).then(), HttpStatus.BAD_REQUEST_400,
                    "InvalidArgument").body("message", equalTo("'status' must be none, pending, issued or failed"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "1001", "ten"})
        void aLimitOutOfRange_is400(String limit) {
            error(given().queryParam("limit", limit).get(EnrolmentRoutes.BASE_PATH).then(), HttpStatus.BAD_REQUEST_400,
                    "InvalidArgument").body("message", equalTo("'limit' must be between 1 and 1000"));
        }
    }

    @Nested
    class Certificate {
        @Test
        void theChainAsPem_neverTheKey() {
            String body = when().get(EnrolmentRoutes.BASE_PATH + "/" + ALICE + "/certificate").then()
                    .statusCode(HttpStatus.OK_200).contentType(EnrolmentRoutes.PEM_CHAIN).extract().asString();
            assertThat(body).isEqualTo(CHAIN).doesNotContain("PRIVATE KEY");
        }

        @Test
        void noCertificateYet_is404() {
            error(when().get(EnrolmentRoutes.BASE_PATH + "/" + BOB + "/certificate").then(), HttpStatus.NOT_FOUND_404,
                    "notFound").body("message", equalTo("no certificate was issued to " + BOB));
        }

        @Test
        void notAMailbox_is400() {
            error(when().get(EnrolmentRoutes.BASE_PATH + "/nobody/certificate").then(), HttpStatus.BAD_REQUEST_400,
                    "InvalidArgument");
        }
    }

    /** {@code enrolment.enabled} is not set: the routes that act say so, the ones that read still work. */
    @Nested
    class WhenTheEnrolmentIsOff {
        @Test
        void enrolNow_is409() {
            error(when().post(EnrolmentRoutes.BASE_PATH + "/" + ALICE).then(), HttpStatus.CONFLICT_409, "WrongState")
                    .body("message", equalTo("the automatic enrolment is off (enrolment.enabled=false)"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"enrolAll", "renewDue"})
        void aTask_is409(String action) {
            error(given().queryParam("action", action).post(EnrolmentRoutes.BASE_PATH).then(), HttpStatus.CONFLICT_409,
                    "WrongState");
            assertThat(tasks.list()).isEmpty();
        }
    }
}
