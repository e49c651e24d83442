package dev.acmesmime.james.webadmin;

import static io.restassured.config.EncoderConfig.encoderConfig;
import static io.restassured.config.RestAssuredConfig.newConfig;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.metrics.tests.RecordingMetricFactory;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.apache.james.webadmin.RandomPortSupplier;
import org.apache.james.webadmin.Routes;
import org.apache.james.webadmin.WebAdminConfiguration;
import org.apache.james.webadmin.WebAdminServer;
import org.apache.james.webadmin.authentication.NoAuthenticationFilter;
import org.apache.james.webadmin.mdc.LoggingRequestFilter;

import io.restassured.builder.RequestSpecBuilder;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

/**
 * A real James WebAdmin server on a free loopback port serving the routes under test, as James's own
 * route tests start one with {@code WebAdminUtils} (in a James test jar this build does not depend on).
 */
final class RouteTestServer implements AutoCloseable {

    private final WebAdminServer server;

    private RouteTestServer(WebAdminServer server) {
        this.server = server;
    }

    static RouteTestServer start(Routes... routes) {
        WebAdminConfiguration configuration = WebAdminConfiguration.builder().enabled().corsDisabled()
                .host("127.0.0.1").port(new RandomPortSupplier()).build();
        // the constructor is protected: James builds the server with Guice
        WebAdminServer server = new WebAdminServer(configuration, List.of(routes), new NoAuthenticationFilter(),
                new RecordingMetricFactory(), LoggingRequestFilter.create()) {
        };
        return new RouteTestServer(server.start());
    }

    /**
     * James's in-memory users repository with virtual hosting, as the org configuration has it, holding
     * {@code mailboxes} (password "secret") in the one domain {@code domain}.
     */
    static MemoryUsersRepository users(String domain, String... mailboxes) throws Exception {
        MemoryDomainList domains = new MemoryDomainList(null);
        domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false).build());
        domains.addDomain(Domain.of(domain));
        MemoryUsersRepository users = MemoryUsersRepository.withVirtualHosting(domains);
        for (String mailbox : mailboxes) {
            users.addUser(Username.of(mailbox), "secret");
        }
        return users;
    }

    int port() {
        return server.getPort().getValue();
    }

    /** For RestAssured: JSON in UTF-8 to this server. */
    RequestSpecification specification() {
        return new RequestSpecBuilder().setContentType(ContentType.JSON).setAccept(ContentType.JSON)
                .setConfig(newConfig().encoderConfig(encoderConfig().defaultContentCharset(StandardCharsets.UTF_8)))
                .setBaseUri("http://127.0.0.1").setPort(port()).build();
    }

    /** Asserts James's error document: {@code statusCode} and {@code type}, and no {@code details}. */
    static ValidatableResponse error(ValidatableResponse response, int status, String type) {
        return response.statusCode(status).body("statusCode", equalTo(status)).body("type", equalTo(type))
                .body("details", nullValue());
    }

    @Override
    public void close() {
        server.destroy();
    }
}
