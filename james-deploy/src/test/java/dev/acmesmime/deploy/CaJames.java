package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.CaMails.CA;
import static dev.acmesmime.deploy.CaMails.bytes;
import static dev.acmesmime.deploy.CaMails.local;
import static dev.acmesmime.deploy.CaMails.text;
import static dev.acmesmime.deploy.CaMails.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.subethamail.wiser.Wiser;
import org.subethamail.wiser.WiserMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.dkim.SignedFields;
import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.Dkimpy;
import dev.acmesmime.testing.TestKeys;
import dev.acmesmime.testing.WebAdminClient;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A real James 3.8.1 process of the CA role ({@link CaJamesProcess}) for a test class, and what a test
 * does with it: send challenges and responses over SMTP, read the audit and the outbox over WebAdmin,
 * look at what reached the SMTP sink and the mock ACME server. Register it on a static field with the
 * forward contract James runs:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final CaJames JAMES = CaJames.shared("native");
 * }</pre>
 *
 * Starting James costs seconds on a loaded machine, so the classes that ask for the same contract share
 * one process, kept in the root {@link ExtensionContext.Store} and stopped after the last class. Each
 * class uses its own addresses, tokens and Message-IDs, so that none depends on what another one left;
 * a restart keeps the configuration. After each class, James's log must show no exception from the
 * plugin, and no secret may be in its logs, audit export or mail repositories
 * ({@link CaJamesProcess#checkSecrets()}).
 */
final class CaJames implements BeforeAllCallback, AfterAllCallback {

    static final Duration WAIT = Duration.ofMinutes(2);
    static final String SEL = CaJamesProcess.SEL;
    static final ObjectMapper JSON = new ObjectMapper();
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CaJames.class);

    private final String contract;
    private final boolean shared;
    private CaJamesProcess p;

    private CaJames(String contract, boolean shared) {
        this.contract = contract;
        this.shared = shared;
    }

    /** The James of every class that asks for {@code forward.contract} {@code native}, {@code akamu} or {@code raw}. */
    static CaJames shared(String contract) {
        return new CaJames(contract, true);
    }

    /** A James of the class's own, which it may reconfigure (the benchmark). */
    static CaJames own(String contract) {
        return new CaJames(contract, false);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        if (!shared) {
            p = CaJamesProcess.start(contract);
            return;
        }
        p = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("ca-james-" + contract, k -> {
            try {
                return CaJamesProcess.start(contract);
            } catch (Exception e) {
                throw new IllegalStateException("the CA's James did not start", e);
            }
        }, CaJamesProcess.class);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (p == null) {
            return;
        }
        try {
            assertThat(p.log()).doesNotContain("Exception calling dev.acmesmime")
                    .doesNotContain("Encountered error while executing mailet dev.acmesmime");
            p.checkSecrets();
        } finally {
            if (!shared) {
                p.close();
            }
        }
    }

    // ---------------------------------------------------------------- James

    void startJames() throws Exception {
        p.startJames();
    }

    void stopJames() throws Exception {
        p.stopJames();
    }

    /** {@code kill -9} of James (no shutdown hook); {@link #startJames()} brings it back on the same home. */
    void killJames() throws Exception {
        p.killJames();
    }

    /** The copy of conf/ca James runs; a test changes it between {@link #stopJames()} and {@link #startJames()}. */
    Path conf() {
        return p.conf();
    }

    /** The repository's conf/ca. */
    Path caConf() {
        return p.caConf;
    }

    Path home() {
        return p.home();
    }

    MockAcmeServer acme() {
        return p.acme;
    }

    /** dnsmasq with the CA's and the users' keys. */
    DkimDns dns() {
        return p.dns;
    }

    // ---------------------------------------------------------------- mail

    int smtpPort() {
        return p.smtpPort;
    }

    Wiser sink() {
        return p.sink;
    }

    /** The secret conf/ca ships for the forward contracts' authentication. */
    String secret() {
        return p.secret;
    }

    TestKeys userKey() {
        return p.dns.key("user");
    }

    void send(String from, String to, String message) throws IOException {
        OrgJames.send(p.smtpPort, from, to, bytes(message));
    }

    /**
     * Sends a well-formed challenge from the CA to {@code user}, Message-ID {@code <c-local@ca.example>}
     * and token-part1 {@link CaMails#token token(tokenChar)}, and waits until James signed it out.
     */
    Issued challenge(String user, char tokenChar) throws IOException {
        Issued issued = new Issued(user, "<c-" + local(user) + "@ca.example>", token(tokenChar));
        send(CA, user, CaMails.challenge(user, issued.messageId(), issued.token(), true));
        await().atMost(WAIT).until(() -> sinkMessage(issued.messageId()).isPresent());
        return issued;
    }

    /** A challenge James signed and sent out. */
    record Issued(String user, String messageId, String token) {
        /** A well-formed response to it, unsigned. */
        String response(String responseId) {
            return CaMails.response(user, token, messageId, responseId);
        }
    }

    /** {@code mail} signed by dkimpy for {@code domain} with the users' key and D7's header list. */
    byte[] signResponse(String mail, String domain) throws Exception {
        return Dkimpy.sign(bytes(mail), SEL, domain, userKey().pkcs1(), Dkimpy.headers(SignedFields.RESPONSE_REQUIRED));
    }

    /** Sends a response to the CA; {@code signingDomain} null: unsigned. */
    void sendResponse(String from, String mail, String signingDomain) throws Exception {
        send(from, CA, signingDomain == null ? mail : text(signResponse(mail, signingDomain)));
    }

    /**
     * A challenge to {@code user}, its signed response, and the one request the ACME server got for
     * it. The user's local part names the challenge and the response; its first letter, the token.
     */
    RecordedRequest roundTrip(String user) throws Exception {
        Issued c = challenge(user, user.charAt(0));
        sendResponse(user, c.response("<r-" + local(user) + "@ca.example>"), "example.test");
        await().atMost(WAIT).until(() -> !p.acme.delivered(user).isEmpty());
        assertThat(p.acme.delivered(user)).hasSize(1);
        return p.acme.delivered(user).get(0);
    }

    /** What the CA's James sent out with this Message-ID. */
    Optional<WiserMessage> sinkMessage(String messageId) {
        return OrgJames.received(p.sink).stream().filter(m -> text(m.getData()).contains("Message-ID: " + messageId))
                .findFirst();
    }

    // ---------------------------------------------------------------- WebAdmin

    WebAdminClient webAdmin() {
        return p.webAdmin;
    }

    List<JsonNode> audit(String query) throws Exception {
        return list(p.webAdmin.getOk("/acme-smime/audit?" + query));
    }

    /**
     * The outbox items forwarding results for {@code addresses}: scenario classes share a James, so each
     * looks only at its own users' items.
     */
    List<JsonNode> outbox(String... addresses) throws Exception {
        List<String> wanted = List.of(addresses);
        return list(p.webAdmin.getOk("/acme-smime/outbox")).stream()
                .filter(i -> wanted.contains(i.path("address").asText())).toList();
    }

    List<JsonNode> outbox(List<String> addresses) throws Exception {
        return outbox(addresses.toArray(String[]::new));
    }

    private static List<JsonNode> list(String json) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(json).forEach(out::add);
        return out;
    }
}
