package dev.acmesmime.james.webadmin;

import static dev.acmesmime.james.webadmin.RouteTestServer.error;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;

import org.eclipse.jetty.http.HttpStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.enrolment.IssuedCertificate;
import dev.acmesmime.enrolment.KeyCodec;
import dev.acmesmime.gateway.CorrespondentCertificate;
import dev.acmesmime.gateway.EncryptPolicy;
import dev.acmesmime.gateway.SignPolicy;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.testing.MailboxCertificates;
import dev.acmesmime.testing.MailboxCertificates.Issued;
import dev.acmesmime.testing.MutableClock;
import dev.acmesmime.testing.Pkcs12Openssl;
import dev.acmesmime.testing.RecordingMetrics;
import io.restassured.RestAssured;

/**
 * {@link GatewayRoutes} on a real WebAdmin server over the H2 store of a runtime in a temporary home, with
 * {@code gateway.*} settings in its {@code acme-smime.properties}. Alice has an issued certificate, Bob none,
 * Carol is a correspondent whose certificate was harvested. Delivery into an INBOX needs James's mailboxes:
 * {@code it.GatewayRoutesJamesTest} covers it on a real James.
 */
class GatewayRoutesTest {
    static final String ALICE = "alice@org.example";
    static final String BOB = "bob@org.example";
    static final String CAROL = "carol@partner.example";
    static final String PASSWORD = "a long passphrase";
    static final MailboxCertificates CA = new MailboxCertificates("Gateway Routes Test CA");

    @TempDir
    Path home;
    MutableClock clock;
    RecordingMetrics metrics = new RecordingMetrics();
    AcmeSmimeRuntime runtime;
    RouteTestServer server;
    Issued alice = CA.issue(ALICE);
    Issued carol = CA.issue(CAROL);

    @BeforeEach
    void setUp() throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve(AcmeSmimeRuntime.SETTINGS_FILE), "gateway.sign.org.example=sign\n"
                + "gateway.encrypt.org.example=opportunistic\ngateway.encrypt.legal@partner.example=required\n");
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        runtime = new AcmeSmimeRuntime(home, clock, metrics);
        server = RouteTestServer.start(new GatewayRoutes(runtime, RouteTestServer.users("org.example", ALICE, BOB),
                null));
        RestAssured.requestSpecification = server.specification();
        IssuedCertificate chain = IssuedCertificate.of(alice.chain());
        runtime.store().enrolments().save(Enrolment.of(ALICE).withProfile("test-ca").withStep(EnrolmentStep.ISSUED)
                .withCertificate(chain.pem(), chain.serial(), null, alice.leaf().getNotBefore().toInstant(),
                        alice.leaf().getNotAfter().toInstant())
                .withPrivateKey(KeyCodec.encode(alice.key())));
        runtime.store().enrolments().save(Enrolment.of(BOB));
        runtime.store().correspondents().save(new CorrespondentCertificate(CAROL, IssuedCertificate.of(carol.chain())
                .pem(), "ca201", carol.leaf().getNotBefore().toInstant(), carol.leaf().getNotAfter().toInstant(),
                true, clock.instant()));
    }

    @AfterEach
    void tearDown() {
        RestAssured.reset();
        server.close();
        runtime.close();
    }

    @Nested
    class Policies {
        @Test
        void theListShowsTheDefaultsTheConfiguredScopesAndTheOverrides() {
            given().body("{\"encrypt\":\"required\"}").put(GatewayRoutes.POLICIES + "/bob@org.example").then()
                    .statusCode(HttpStatus.OK_200);

            when().get(GatewayRoutes.POLICIES).then().statusCode(HttpStatus.OK_200)
                    .body("defaults.sign", equalTo("off")).body("defaults.encrypt", equalTo("off"))
                    .body("defaults.headerProtection", equalTo(false))
                    .body("configured.scope", contains("legal@partner.example", "org.example"))
                    .body("configured.sign", contains(null, "sign"))
                    .body("configured.encrypt", contains("required", "opportunistic"))
                    .body("overrides.scope", contains("bob@org.example"))
                    .body("overrides[0].sign", nullValue()).body("overrides[0].encrypt", equalTo("required"));
        }

        @Test
        void g8_anOverrideBeatsTheSettingAtOnce_andItsDeletionRestoresIt() {
            assertThat(runtime.gatewayPolicies().signing(ALICE)).isEqualTo(SignPolicy.SIGN);

            given().body("{\"sign\":\"OFF\",\"encrypt\":null}").put(GatewayRoutes.POLICIES + "/Alice@Org.Example").then()
                    .statusCode(HttpStatus.OK_200).body("scope", equalTo(ALICE)).body("sign", equalTo("off"))
                    .body("encrypt", nullValue()).body("updatedAt", equalTo(clock.instant().toString()));
            assertThat(runtime.gatewayPolicies().signing(ALICE)).isEqualTo(SignPolicy.OFF);
            assertThat(runtime.gatewayPolicies().encryption(ALICE)).isEqualTo(EncryptPolicy.OPPORTUNISTIC);
            when().get(GatewayRoutes.POLICIES + "/" + ALICE).then().statusCode(HttpStatus.OK_200)
                    .body("sign", equalTo("off"));

            when().delete(GatewayRoutes.POLICIES + "/" + ALICE).then().statusCode(HttpStatus.NO_CONTENT_204);
            assertThat(runtime.gatewayPolicies().signing(ALICE)).isEqualTo(SignPolicy.SIGN);
            error(when().delete(GatewayRoutes.POLICIES + "/" + ALICE).then(), HttpStatus.NOT_FOUND_404, "notFound");
            error(when().get(GatewayRoutes.POLICIES + "/" + ALICE).then(), HttpStatus.NOT_FOUND_404, "notFound");
        }

        @Test
        void aBadPolicyScopeOrBodyIs400_andNothingIsStored() {
            error(given().body("{\"sign\":\"always\"}").put(GatewayRoutes.POLICIES + "/org.example").then(),
                    HttpStatus.BAD_REQUEST_400, "InvalidArgument").body("message", containsString("'sign' must be"));
            error(given().body("{\"encrypt\":\"sign\"}").put(GatewayRoutes.POLICIES + "/org.example").then(),
                    HttpStatus.BAD_REQUEST_400, "InvalidArgument").body("message", containsString("'encrypt' must be"));
            error(given().body("{\"sign\":\"sign\"}").put(GatewayRoutes.POLICIES + "/a@b@c").then(),
                    HttpStatus.BAD_REQUEST_400, "InvalidArgument").body("message", containsString("'scope'"));
            error(given().body("{\"sign\":\"sign\",\"colour\":1}").put(GatewayRoutes.POLICIES + "/org.example").then(),
                    HttpStatus.BAD_REQUEST_400, "InvalidArgument");
            error(given().body("null").put(GatewayRoutes.POLICIES + "/org.example").then(),
                    HttpStatus.BAD_REQUEST_400, "InvalidArgument");

            assertThat(runtime.store().gatewayPolicies().all()).isEmpty();
        }
    }

    @Nested
    class Certificates {
        @Test
        void aLocalMailboxsUsableCertificateIsServedAsAPemChain() {
            String pem = when().get("/acme-smime/certificates/" + ALICE).then().statusCode(HttpStatus.OK_200)
                    .contentType(EnrolmentRoutes.PEM_CHAIN).extract().asString();

            assertThat(IssuedCertificate.parse(pem).chain()).containsExactlyElementsOf(alice.chain());
            assertThat(pem).doesNotContain("PRIVATE");
        }

        @Test
        void g6_aHarvestedCorrespondentsCertificateIsServed_andCanBeForgotten() {
            String pem = when().get("/acme-smime/certificates/" + CAROL).then().statusCode(HttpStatus.OK_200)
                    .contentType(EnrolmentRoutes.PEM_CHAIN).extract().asString();
            assertThat(IssuedCertificate.parse(pem).leaf()).isEqualTo(carol.leaf());

            when().delete("/acme-smime/certificates/" + CAROL).then().statusCode(HttpStatus.OK_200)
                    .body("deleted", equalTo(1));
            error(when().get("/acme-smime/certificates/" + CAROL).then(), HttpStatus.NOT_FOUND_404, "notFound");
            error(when().delete("/acme-smime/certificates/" + CAROL).then(), HttpStatus.NOT_FOUND_404, "notFound");
        }

        @Test
        void g2_noCertificate_anExpiredOne_orNotAMailboxIsRefused() {
            error(when().get("/acme-smime/certificates/" + BOB).then(), HttpStatus.NOT_FOUND_404, "notFound");
            error(when().get("/acme-smime/certificates/nobody").then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument");

            clock.advance(Duration.ofDays(400));
            error(when().get("/acme-smime/certificates/" + ALICE).then(), HttpStatus.NOT_FOUND_404, "notFound")
                    .body("message", containsString("expired"));
        }
    }

    @Nested
    class Pkcs12 {
        private String path(String mailbox) {
            return EnrolmentRoutes.BASE_PATH + "/" + mailbox + "/pkcs12";
        }

        private Path download(String body) throws Exception {
            byte[] p12 = given().body(body).post(path(ALICE)).then().statusCode(HttpStatus.OK_200)
                    .contentType("application/x-pkcs12")
                    .header("Content-Disposition", containsString(ALICE + ".p12")).extract().asByteArray();
            return Files.write(home.resolve("alice.p12"), p12);
        }

        @Test
        void g10_thePkcs12OpensInOpenSslWithItsPassword_isAudited_andCounted() throws Exception {
            Path p12 = download("{\"password\":\"" + PASSWORD + "\"}");

            Pkcs12Openssl.Result info = Pkcs12Openssl.info(p12, PASSWORD, false);
            assertThat(info.exit()).as(info.output()).isZero();
            assertThat(info.output()).contains("AES-256-CBC", "MAC: sha256");
            assertThat(Pkcs12Openssl.info(p12, "not the password", false).exit()).isNotZero();

            List<AuditRecord> audit = runtime.store().audit().latest(ALICE, Set.of(AuditEvent.PKCS12_EXPORTED), 10);
            assertThat(audit).singleElement().satisfies(r -> {
                assertThat(r.outcome()).contains("aes256");
                assertThat(r.token()).contains(alice.leaf().getSerialNumber().toString(16));
                assertThat(r.toString()).doesNotContain(PASSWORD);
            });
            assertThat(metrics.counters()).containsEntry(MetricNames.GATEWAY_PKCS12_EXPORTED, 1L);
        }

        @Test
        void g10_legacyIsOnlyOnRequest_andOpensWithOpenSslsLegacyProvider() throws Exception {
            Path p12 = download("{\"password\":\"" + PASSWORD + "\",\"legacy\":true}");

            Pkcs12Openssl.Result info = Pkcs12Openssl.info(p12, PASSWORD, true);
            assertThat(info.exit()).as(info.output()).isZero();
            assertThat(info.output()).contains("MAC: sha1", "3-KeyTripleDES");
            assertThat(runtime.store().audit().latest(ALICE, Set.of(AuditEvent.PKCS12_EXPORTED), 10))
                    .singleElement().satisfies(r -> assertThat(r.outcome()).contains("legacy"));
        }

        @Test
        void aShortOrMissingPassword_aPasswordWithDeliver_orABadBodyIs400_withoutEchoingThePassword() {
            error(given().body("{\"password\":\"short\"}").post(path(ALICE)).then(), HttpStatus.BAD_REQUEST_400,
                    "InvalidArgument").body("message", containsString("at least 8"));
            error(given().body("{}").post(path(ALICE)).then(), HttpStatus.BAD_REQUEST_400, "InvalidArgument");
            error(given().body("{\"deliver\":true,\"password\":\"" + PASSWORD + "\"}").post(path(ALICE)).then(),
                    HttpStatus.BAD_REQUEST_400, "InvalidArgument");
            String message = error(given().body("{\"password\":\"" + PASSWORD + "\",}").post(path(ALICE)).then(),
                    HttpStatus.BAD_REQUEST_400, "InvalidArgument").extract().path("message");
            assertThat(message).doesNotContain(PASSWORD);
            error(given().body("{\"password\":\"" + PASSWORD + "\"}").post(path("nobody")).then(),
                    HttpStatus.BAD_REQUEST_400, "InvalidArgument");
            assertThat(metrics.counters()).doesNotContainKey(MetricNames.GATEWAY_PKCS12_EXPORTED);
        }

        @Test
        void g2_noUsableCertificate_orDeliveryToANonUserIs404_andNothingIsExported() {
            error(given().body("{\"password\":\"" + PASSWORD + "\"}").post(path(BOB)).then(), HttpStatus.NOT_FOUND_404,
                    "notFound").body("message", containsString("no-certificate"));
            error(given().body("{\"deliver\":true}").post(path("dave@org.example")).then(), HttpStatus.NOT_FOUND_404,
                    "notFound");
            clock.advance(Duration.ofDays(400));
            error(given().body("{\"password\":\"" + PASSWORD + "\"}").post(path(ALICE)).then(),
                    HttpStatus.NOT_FOUND_404, "notFound").body("message", containsString("certificate-expired"));

            assertThat(runtime.store().audit().latest(ALICE, Set.of(AuditEvent.PKCS12_EXPORTED), 10)).isEmpty();
        }
    }
}
