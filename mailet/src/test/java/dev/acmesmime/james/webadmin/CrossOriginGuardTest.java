package dev.acmesmime.james.webadmin;

import static dev.acmesmime.james.webadmin.RouteTestServer.error;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.Duration;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.apache.james.webadmin.routes.UserRoutes;
import org.apache.james.webadmin.service.UserService;
import org.apache.james.webadmin.utils.JsonTransformer;
import org.eclipse.jetty.http.HttpStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.acmesmime.james.runtime.AllowedOrigins;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * {@link CrossOriginGuard} on a real WebAdmin server (with James 3.8.1's CORS filter on, as every James
 * 3.8.1 has it) serving James's own {@link UserRoutes} beside both plugin route classes.
 */
class CrossOriginGuardTest {
    static final String ADMIN_PAGE = "https://admin.org.example";
    static final String EVIL = "https://evil.example";
    static final String ALICE = "alice@org.example";
    static final String MALLORY = "mallory@org.example";
    static final String PASSWORD = "{\"password\":\"mallory-secret\"}";

    @TempDir
    Path home;
    AcmeSmimeRuntime runtime;
    MemoryUsersRepository users;
    RouteTestServer server;

    void start(String allowedOrigins) throws Exception {
        start(allowedOrigins, false);
    }

    /** {@code guardAlone}: James's own routes with {@link CrossOriginGuardRoutes} only, as a James without the role routes loads them. */
    void start(String allowedOrigins, boolean guardAlone) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve(AcmeSmimeRuntime.SETTINGS_FILE), AllowedOrigins.KEY + "=" + allowedOrigins + "\n");
        runtime = new AcmeSmimeRuntime(home, Clock.systemUTC());
        MemoryDomainList domains = new MemoryDomainList(null);
        domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false).build());
        domains.addDomain(Domain.of("org.example"));
        users = MemoryUsersRepository.withVirtualHosting(domains);
        users.addUser(Username.of(ALICE), "secret");
        // UserRoutes needs CanSendFrom and DelegationStore only for routes not called here
        UserRoutes userRoutes = new UserRoutes(new UserService(users), null, new JsonTransformer(), null);
        server = guardAlone
                ? RouteTestServer.start(userRoutes, new CrossOriginGuardRoutes(runtime))
                : RouteTestServer.start(userRoutes, new CaRoutes(runtime), new OrganisationRoutes(runtime, users));
        RestAssured.requestSpecification = server.specification();
    }

    @AfterEach
    void tearDown() {
        RestAssured.reset();
        if (server != null) {
            server.close();
        }
        if (runtime != null) {
            runtime.close();
        }
    }

    static RequestSpecification from(String origin) {
        return given().header(CrossOriginGuard.ORIGIN, origin);
    }

    static ValidatableResponse refused(ValidatableResponse response) {
        return error(response, HttpStatus.FORBIDDEN_403, "InvalidArgument")
                .body("message", containsString(AllowedOrigins.KEY))
                .header(CrossOriginGuard.ALLOW_ORIGIN, nullValue())
                .header("Access-Control-Allow-Methods", nullValue());
    }

    static String pendingChallenge() {
        return "{\"from\":\"acme@ca.example\",\"tokenPart2\":\"DGyRejmCefe7v4NfDGDKfA\","
                + "\"accountThumbprint\":\"LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ\","
                + "\"challengeUrl\":\"https://ca.example/acme/chall/1\",\"expires\":\""
                + Instant.now().plus(Duration.ofHours(1)) + "\"}";
    }

    static String challengeNotice() {
        return CaRoutesFixtures.notice("<c1@ca.example>", CaRoutesFixtures.TOKEN, "alice@example.org",
                Instant.now().minus(Duration.ofMinutes(5)).toString());
    }

    @Nested
    class GuardAlone {

        @Test
        void withoutTheRoleRoutes_aForeignPutOnJamesUserRoutes_isRefused_andCurlStillWorks() throws Exception {
            start("", true);
            refused(from(EVIL).header("Access-Control-Request-Method", "PUT").options("/users/" + MALLORY).then());
            refused(from(EVIL).body(PASSWORD).put("/users/" + MALLORY).then());
            assertThat(users.contains(Username.of(MALLORY))).isFalse();

            given().body(PASSWORD).put("/users/" + MALLORY).then().statusCode(HttpStatus.NO_CONTENT_204)
                    .header(CrossOriginGuard.ALLOW_ORIGIN, nullValue());
            assertThat(users.contains(Username.of(MALLORY))).isTrue();
        }
    }

    @Nested
    class NoOriginAllowed {

        @ParameterizedTest
        @ValueSource(strings = {"/users/" + MALLORY, "/acme-smime/pending-challenges/" + ALICE, CaRoutes.CHALLENGES})
        void aForeignPreflight_isRefused(String path) throws Exception {
            start("");
            refused(from(EVIL).header("Access-Control-Request-Method", "PUT").options(path).then());
        }

        @Test
        void aForeignPutAndDeleteOnJamesUserRoutes_areRefused_andNoUserChanges() throws Exception {
            start("");
            refused(from(EVIL).body(PASSWORD).put("/users/" + MALLORY).then());
            refused(from(EVIL).delete("/users/" + ALICE).then());

            assertThat(users.contains(Username.of(MALLORY))).isFalse();
            assertThat(users.contains(Username.of(ALICE))).isTrue();
        }

        @Test
        void aForeignPutOnAPluginRoute_isRefused_andNothingIsRegistered() throws Exception {
            start("");
            refused(from(EVIL).body(pendingChallenge()).put("/acme-smime/pending-challenges/" + ALICE).then());

            given().get("/acme-smime/pending-challenges/" + ALICE).then().statusCode(HttpStatus.NOT_FOUND_404);
        }

        @Test
        void aForeignPostOnAPluginRoute_isRefused_andNothingIsRecorded() throws Exception {
            start("");
            refused(from(EVIL).body(challengeNotice()).post(CaRoutes.CHALLENGES).then());
            refused(given().header(CrossOriginGuard.SEC_FETCH_SITE, "cross-site").body(challengeNotice())
                    .post(CaRoutes.CHALLENGES).then());
            refused(from("null").body(challengeNotice()).post(CaRoutes.CHALLENGES).then());

            // the first accepted registration is new: the refused ones changed nothing
            given().body(challengeNotice()).post(CaRoutes.CHALLENGES).then().statusCode(HttpStatus.CREATED_201)
                    .body("outcome", equalTo("registered"));
        }

        @Test
        void requestsWithoutOrigin_work_withoutWildcardCorsHeaders() throws Exception {
            start("");
            given().body(PASSWORD).put("/users/" + MALLORY).then().statusCode(HttpStatus.NO_CONTENT_204)
                    .header(CrossOriginGuard.ALLOW_ORIGIN, nullValue())
                    .header("Access-Control-Request-Method", nullValue());
            given().header(CrossOriginGuard.SEC_FETCH_SITE, "same-origin").body(pendingChallenge())
                    .put("/acme-smime/pending-challenges/" + ALICE).then().statusCode(HttpStatus.NO_CONTENT_204);

            assertThat(users.contains(Username.of(MALLORY))).isTrue();
        }
    }

    @Nested
    class AnOriginAllowed {

        @Test
        void itsPreflight_getsItsOwnOriginBack_notAWildcard() throws Exception {
            start(ADMIN_PAGE);
            from(ADMIN_PAGE).header("Access-Control-Request-Method", "PUT").options("/users/" + MALLORY).then()
                    .statusCode(HttpStatus.OK_200).header(CrossOriginGuard.ALLOW_ORIGIN, ADMIN_PAGE)
                    .header("Access-Control-Allow-Methods", "PUT");
        }

        @Test
        void itsRequests_work_withItsOriginAndOneVary() throws Exception {
            start(ADMIN_PAGE + ", http://localhost:3000");
            String vary = from(ADMIN_PAGE).body(PASSWORD).put("/users/" + MALLORY).then()
                    .statusCode(HttpStatus.NO_CONTENT_204).header(CrossOriginGuard.ALLOW_ORIGIN, ADMIN_PAGE)
                    .extract().headers().getValues("Vary").toString();
            from("http://localhost:3000").body(pendingChallenge()).put("/acme-smime/pending-challenges/" + ALICE)
                    .then().statusCode(HttpStatus.NO_CONTENT_204);

            assertThat(users.contains(Username.of(MALLORY))).isTrue();
            // both route classes are loaded: the guard is installed once, so it adds Vary once
            assertThat(vary).isEqualTo("[Origin]");
        }

        @Test
        void anotherOrigin_isStillRefused() throws Exception {
            start(ADMIN_PAGE);
            refused(from("https://admin.org.example.evil.example").body(PASSWORD).put("/users/" + MALLORY).then());
            refused(from("http://admin.org.example").body(PASSWORD).put("/users/" + MALLORY).then());

            assertThat(users.contains(Username.of(MALLORY))).isFalse();
        }
    }
}
