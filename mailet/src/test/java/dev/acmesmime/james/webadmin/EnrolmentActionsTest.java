package dev.acmesmime.james.webadmin;

import static dev.acmesmime.james.webadmin.RouteTestServer.error;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.apache.james.core.Username;
import org.apache.james.json.DTOConverter;
import org.apache.james.task.Hostname;
import org.apache.james.task.MemoryTaskManager;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.apache.james.webadmin.routes.TasksRoutes;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.enrolment.IssuedCertificate;
import dev.acmesmime.enrolment.KeyCodec;
import dev.acmesmime.gateway.GatewayCode;
import dev.acmesmime.james.enrolment.EnrolmentService;
import dev.acmesmime.james.enrolment.EnrolmentTaskExtension;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditQuery;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.MailboxCertificates;
import io.restassured.RestAssured;

/**
 * The acting {@link EnrolmentRoutes} with the enrolment on, on a real WebAdmin server next to James's own
 * {@link TasksRoutes} and memory task manager: the engine runs against a CA profile whose directory does
 * not answer, so every mailbox stays short of an order, which is all these routes decide.
 */
class EnrolmentActionsTest {
    static final String ALICE = "alice@org.example";
    static final String BOB = "bob@org.example";
    static final String DORA = "dora@org.example";

    @TempDir
    Path home;
    AcmeSmimeRuntime runtime;
    MemoryUsersRepository users;
    EnrolmentService enrolment;
    MemoryTaskManager tasks;
    RouteTestServer server;

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve(AcmeSmimeRuntime.SETTINGS_FILE), String.join("\n",
                "enrolment.enabled=true", "enrolment.userScanSeconds=86400", "enrolment.retry.initialSeconds=3600",
                "enrolment.profile.test.directory=https://127.0.0.1:" + FreePorts.tcp() + "/dir",
                "enrolment.profile.test.domains=org.example", ""));
        runtime = new AcmeSmimeRuntime(home, Clock.systemUTC());
        users = RouteTestServer.users("org.example", ALICE);
        enrolment = new EnrolmentService(runtime, users);
        enrolment.start();
        tasks = new MemoryTaskManager(new Hostname("test"));
        server = RouteTestServer.start(new EnrolmentRoutes(runtime, users, enrolment, tasks),
                new TasksRoutes(tasks, new JsonTransformer(), DTOConverter.of(EnrolmentTaskExtension.DETAILS)));
        RestAssured.requestSpecification = server.specification();
    }

    @AfterEach
    void tearDown() {
        RestAssured.reset();
        server.close();
        tasks.stop();
        enrolment.close();
        runtime.close();
    }

    @Test
    void theUserScan_enrolsTheUsersJamesHasAtStart() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> runtime.store().enrolments().find(ALICE).isPresent());
    }

    @Test
    void enrolNow_isAccepted_andShowsTheMailboxWithItsProfile() throws Exception {
        users.addUser(Username.of(BOB), "secret");
        given().post(EnrolmentRoutes.BASE_PATH + "/" + BOB).then().statusCode(HttpStatus.ACCEPTED_202)
                .body("mailbox", equalTo(BOB)).body("profile", equalTo("test"));
        assertThat(runtime.store().enrolments().find(BOB)).isPresent();
    }

    @Test
    void enrolNow_ofAMailboxThatIsNoUser_is404() {
        error(when().post(EnrolmentRoutes.BASE_PATH + "/nobody@org.example").then(), HttpStatus.NOT_FOUND_404,
                "notFound");
    }

    @Test
    void enrolAll_isATask_whoseProgressTheTaskRoutesShow() throws Exception {
        theUserScan_enrolsTheUsersJamesHasAtStart();
        users.addUser(Username.of(BOB), "secret");
        String taskId = given().queryParam("action", "enrolAll").post(EnrolmentRoutes.BASE_PATH).then()
                .statusCode(HttpStatus.CREATED_201).body("taskId", notNullValue()).extract().path("taskId");

        when().get("/tasks/" + taskId + "/await").then().statusCode(HttpStatus.OK_200)
                .body("status", equalTo("completed")).body("type", equalTo("acme-smime-enrol-all"))
                .body("additionalInformation.type", equalTo(EnrolmentTaskExtension.DETAILS_TYPE))
                .body("additionalInformation.action", equalTo("enrolAll"))
                .body("additionalInformation.done", equalTo(2)).body("additionalInformation.failed", equalTo(0))
                .body("additionalInformation.pending", equalTo(0));
        assertThat(runtime.store().enrolments().find(BOB)).isPresent();
    }

    @Test
    void renewDue_isATask_countingTheIssuedEnrolments() throws Exception {
        // a user whose certificate is not due for a month, so the worker leaves it alone until renewDue
        users.addUser(Username.of(DORA), "secret");
        runtime.store().enrolments().save(Enrolment.of(DORA).withProfile("test").withStep(EnrolmentStep.ISSUED)
                .withSchedule(0, Instant.now().plus(Duration.ofDays(30))));
        String taskId = given().queryParam("action", "renewDue").post(EnrolmentRoutes.BASE_PATH).then()
                .statusCode(HttpStatus.CREATED_201).extract().path("taskId");

        when().get("/tasks/" + taskId + "/await").then().statusCode(HttpStatus.OK_200)
                .body("status", equalTo("completed")).body("additionalInformation.done", equalTo(1));
    }

    @Test
    void revoke_takesTheCertificateAndKeyAway_evenWhenTheCaCannotBeReached_soTheGatewayStopsUsingThem() {
        MailboxCertificates.Issued issued = new MailboxCertificates("Revoke Test CA").issue(ALICE);
        IssuedCertificate chain = IssuedCertificate.of(issued.chain());
        runtime.store().enrolments().save(Enrolment.of(ALICE).withProfile("test").withStep(EnrolmentStep.ISSUED)
                .withCertificate(chain.pem(), chain.serial(), null, issued.leaf().getNotBefore().toInstant(),
                        issued.leaf().getNotAfter().toInstant())
                .withPrivateKey(KeyCodec.encode(issued.key())).withSchedule(0, Instant.now().plus(Duration.ofDays(30))));
        assertThat(runtime.certificateDirectory().identity(ALICE).found()).isTrue();

        when().post(EnrolmentRoutes.BASE_PATH + "/" + ALICE + "/revoke").then().statusCode(HttpStatus.OK_200)
                .body("mailbox", equalTo(ALICE)).body("status", equalTo("none"));

        Enrolment after = runtime.store().enrolments().find(ALICE).orElseThrow();
        assertThat(after.certificatePem()).isEmpty();
        assertThat(after.privateKey()).isEmpty();
        assertThat(after.nextAttemptAt()).as("not enrolled again on its own").isEmpty();
        assertThat(runtime.certificateDirectory().identity(ALICE).code()).isEqualTo(GatewayCode.NO_CERTIFICATE);
        // the CA's directory does not answer here: the refusal is audited, the certificate still gone
        assertThat(runtime.store().audit().find(AuditQuery.builder().address(ALICE).build()))
                .extracting(r -> r.event()).contains(AuditEvent.ENROLMENT_FAILED.value());
    }

    @Test
    void revoke_ofAMailboxWithoutCertificate_is404() {
        error(when().post(EnrolmentRoutes.BASE_PATH + "/" + BOB + "/revoke").then(), HttpStatus.NOT_FOUND_404,
                "notFound");
    }

    @Test
    void anUnknownAction_is400() {
        given().queryParam("action", "enrolSome").post(EnrolmentRoutes.BASE_PATH).then()
                .statusCode(HttpStatus.BAD_REQUEST_400);
    }
}
