package dev.acmesmime.deploy;

import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.TempDirs;
import dev.acmesmime.testing.WebAdminClient;

/**
 * Issue 15's whole enrolment chain, every part in its own process: the test CA ({@code bin/test-ca},
 * HTTPS, External Account Binding required, looking for a response only {@value #RESPONSE_WINDOW_AFTER_POST}
 * after the client's POST), a CA-role James from conf/ca ({@link CaJamesProcess}: signs
 * the test CA's challenge mails, validates the responses and forwards their results to the test CA over
 * HTTPS, trusting its root), an organisation James from conf/org ({@link OrgRoleProcess}) with the
 * enrolment on, and dnsmasq serving ca.example's and org.example's DKIM keys to both James.
 * <p>
 * Mail between the two James goes over SMTP: the organisation's RemoteDelivery has the CA James as its
 * gateway; the CA James's gateway is a {@link MailHop} that passes each mail on to the organisation's
 * SMTP port at once, unless a test holds it back.
 * <p>
 * Profiles of the organisation James: {@value #MAIN} for {@code org.example} with the right EAB key and a
 * {@value #POST_DELAY} wait before the POST,
 * {@value #WRONG} for {@value #WRONG_EAB_DOMAIN} with a key the CA does not know (same kid).
 */
final class EnrolmentChain implements AutoCloseable {

    static final String MAIN = "main";
    static final String WRONG = "wrong";
    static final String WRONG_EAB_DOMAIN = "wrong-eab.example";
    static final String KID = "kid-1";
    /** How long the test CA looks for the response after the POST: less than the pipeline's own time. */
    static final String RESPONSE_WINDOW_AFTER_POST = "1s";
    /** The main profile's wait before the POST: the response reaches the test CA first. */
    static final String POST_DELAY = "4s";
    static final Duration WAIT = Duration.ofMinutes(2);
    static final ObjectMapper JSON = new ObjectMapper();

    final Path work;
    final TestCaProcess ca;
    final CaJamesProcess caJames;
    final MailHop hop;
    final OrgRoleProcess org;
    private final URI stats;
    private final Deque<AutoCloseable> started;

    private EnrolmentChain(Path work, TestCaProcess ca, CaJamesProcess caJames, MailHop hop, OrgRoleProcess org,
                           URI stats, Deque<AutoCloseable> started) {
        this.work = work;
        this.ca = ca;
        this.caJames = caJames;
        this.hop = hop;
        this.org = org;
        this.stats = stats;
        this.started = started;
    }

    /** Starts every part, in the order their settings need each other; on failure stops what started. */
    static EnrolmentChain start() throws Exception {
        return start(Map.of(), Map.of());
    }

    /**
     * @param testCaSettings    test-CA settings over the chain's own (e.g. {@code certificate.lifetime},
     *                          {@code ari=false}), for scenarios that need another CA
     * @param enrolmentSettings the organisation's {@code enrolment.*} settings over the chain's own
     */
    static EnrolmentChain start(Map<String, String> testCaSettings, Map<String, String> enrolmentSettings)
            throws Exception {
        return start(testCaSettings, enrolmentSettings, (conf, home) -> { });
    }

    /** @param orgSetup the test's own change to the organisation James's conf copy, before it starts */
    static EnrolmentChain start(Map<String, String> testCaSettings, Map<String, String> enrolmentSettings,
                                OrgRoleProcess.Setup orgSetup) throws Exception {
        return start(testCaSettings, enrolmentSettings, null, orgSetup);
    }

    /**
     * @param orgJavaOpts the organisation James's {@code JAMES_JAVA_OPTS} (a benchmark's heap); null: the
     *                    launcher's default
     * @param orgSetup    the test's own change to the organisation James's conf copy, before it starts
     */
    static EnrolmentChain start(Map<String, String> testCaSettings, Map<String, String> enrolmentSettings,
                                String orgJavaOpts, OrgRoleProcess.Setup orgSetup) throws Exception {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        Path work = Files.createTempDirectory("acme-smime-enrolment-chain");
        started.push(() -> TempDirs.delete(work));
        try {
            int acmePort = FreePorts.tcp();
            int managementPort = FreePorts.tcp();
            CaJamesProcess caJames = CaJamesProcess.prepare("native", "https://localhost:" + acmePort + "/acme/mail-result");
            started.push(caJames);
            MailHop hop = MailHop.open();
            DkimDns keys = DkimDns.keys(k -> k.rsa("ca", 2048).rsa("org", 2048))
                    .txt("acme-sample", "ca.example",
                            d -> CaJamesProcess.publicKeyRecord(caJames.caConf.resolve("dkim/acme-sample.pem")))
                    .publish("acme", OrgRoleProcess.DOMAIN, "org");
            OrgRoleProcess.Env env = new OrgRoleProcess.Env(keys, hop, false);
            started.push(env); // stops the hop too
            keys.start();
            String eabKey = randomKey();
            Map<String, String> caSettings = new LinkedHashMap<>(Map.of("http.port", Integer.toString(acmePort),
                    "tls", "true", "management.port", Integer.toString(managementPort),
                    "smtp.port", Integer.toString(caJames.smtpPort),
                    "forward.hmacKeyFile", caJames.conf().resolve("acme-smime-forward.secret").toString(),
                    "eab", "required", "eab.key." + KID, eabKey,
                    "fault.responseOnlyAfterPost", RESPONSE_WINDOW_AFTER_POST));
            caSettings.putAll(testCaSettings);
            TestCaProcess ca = TestCaProcess.start(caSettings);
            started.push(ca);
            caJames.wire(keys.server(), hop.port(), trustStoreSettings(work, ca.rootPem()));
            caJames.startJames();
            OrgRoleProcess org = new OrgRoleProcess(work.resolve("org"), env, false, 5, 100, orgJavaOpts,
                    enrolmentSettings(work, ca, eabKey, enrolmentSettings), caJames.smtpPort, orgSetup);
            started.push(org);
            hop.to(org.smtpPort);
            org.noteSecret("EAB HMAC key", eabKey); // checked with the node's own secrets when it closes
            org.noteSecret("wrong EAB HMAC key", Files.readString(work.resolve("wrong-eab.key")));
            return new EnrolmentChain(work, ca, caJames, hop, org,
                    URI.create("http://127.0.0.1:" + managementPort + "/stats"), started);
        } catch (Exception | AssertionError e) {
            closeAll(started);
            throw e;
        }
    }

    /** The organisation James's enrolment block: short scans, polls, leases and back-off for a test. */
    private static String enrolmentSettings(Path work, TestCaProcess ca, String eabKey, Map<String, String> overrides)
            throws Exception {
        Map<String, String> s = quickEnrolment();
        s.putAll(overrides);
        profile(s, MAIN, ca, OrgRoleProcess.DOMAIN, Files.writeString(work.resolve("main-eab.key"), eabKey));
        s.put("enrolment.profile." + MAIN + ".postDelay", POST_DELAY);
        profile(s, WRONG, ca, WRONG_EAB_DOMAIN, Files.writeString(work.resolve("wrong-eab.key"), randomKey()));
        return lines(s);
    }

    /** The enrolment on, with short scans, polls, leases and back-off for a test; profiles to be added. */
    static Map<String, String> quickEnrolment() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("enrolment.enabled", "true");
        s.put("enrolment.userScanSeconds", "10");
        s.put("enrolment.pollSeconds", "1");
        s.put("enrolment.leaseSeconds", "30");
        s.put("enrolment.retry.initialSeconds", "2");
        s.put("enrolment.retry.maxSeconds", "10");
        return s;
    }

    /** Settings as lines of a properties file. */
    static String lines(Map<String, String> settings) {
        StringBuilder lines = new StringBuilder();
        settings.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        return lines.toString();
    }

    static void profile(Map<String, String> s, String name, TestCaProcess ca, String domains, Path eabKeyFile)
            throws Exception {
        String p = "enrolment.profile." + name + ".";
        s.put(p + "directory", ca.directory().toString());
        s.put(p + "domains", domains);
        s.put(p + "trustStore", ca.rootPem().toString());
        s.put(p + "termsOfServiceAgreed", "true");
        s.put(p + "eab.kid", KID);
        s.put(p + "eab.hmacKeyFile", eabKeyFile.toString());
    }

    /**
     * conf/ca's forwarder verifies TLS against the JDK's roots plus a PKCS#12 trust store: the test CA's
     * root, so that results reach its HTTPS result endpoint with verification on.
     */
    static String trustStoreSettings(Path work, Path rootPem) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        X509Certificate root = TrustedHttp.certificates(Files.readString(rootPem)).get(0);
        trust.setCertificateEntry("test-ca-root", root);
        Path store = work.resolve("test-ca-trust.p12");
        try (OutputStream out = Files.newOutputStream(store)) {
            trust.store(out, "test-ca-trust".toCharArray());
        }
        Path password = Files.writeString(work.resolve("test-ca-trust.password"), "test-ca-trust");
        return "forward.trustStore=" + store + "\nforward.trustStorePasswordFile=" + password;
    }

    /** A 256-bit HMAC key as a CA hands it out: base64url. */
    static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    WebAdminClient webAdmin() {
        return org.webAdmin();
    }

    /** What the tests do and read on the organisation James's WebAdmin. */
    OrgEnrolments enrolments() {
        return new OrgEnrolments(webAdmin(), WAIT);
    }

    /** {@code PUT /users/{mailbox}} on the organisation James: all an admin does. */
    void createUser(String mailbox) throws Exception {
        enrolments().createUser(mailbox);
    }

    /** The mailbox's row of {@code GET /acme-smime/enrolments?domain=…}; a missing node before it has one. */
    JsonNode enrolment(String mailbox) throws Exception {
        return enrolments().enrolment(mailbox);
    }

    /** Waits until the mailbox's enrolment is at {@code step} (e.g. {@code issued}, {@code challenge-registered}). */
    JsonNode awaitStep(String mailbox, String step) {
        return enrolments().awaitStep(mailbox, step);
    }

    /** The PEM chain WebAdmin serves for an issued mailbox. */
    String certificatePem(String mailbox) throws Exception {
        return enrolments().certificatePem(mailbox);
    }

    /**
     * The mailbox's private key as the organisation's store keeps it, unsealed with its master key (James is
     * stopped for the read, {@link OrgStore}).
     */
    PrivateKey storedPrivateKey(String mailbox) throws Exception {
        return OrgStore.read(org, store -> pkcs8(store.enrolments().find(mailbox).orElseThrow().privateKey().orElseThrow()
                .bytes()));
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException notEc) {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        }
    }

    /** Orders the test CA has created since it started ({@code GET /stats} on its management port). */
    long ordersAtTheCa() throws Exception {
        return ordersAt(stats);
    }

    /** Orders a test CA has created since it started: {@code orders} of its management {@code /stats}. */
    static long ordersAt(URI stats) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(stats)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(r.body()).path("orders").asLong();
    }

    /** {@code path} on the test CA's management port (e.g. {@code /set-renewal-info/}). */
    URI management(String path) {
        return stats.resolve(path);
    }

    /** Stops every part, the last started first; a secret found in a James's logs fails here. */
    @Override
    public void close() throws Exception {
        closeAll(started);
    }

    static void closeAll(Deque<AutoCloseable> started) throws Exception {
        Throwable first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception | AssertionError e) { // the next part still stops
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first instanceof Exception e) {
            throw e;
        } else if (first != null) {
            throw (AssertionError) first;
        }
    }
}
