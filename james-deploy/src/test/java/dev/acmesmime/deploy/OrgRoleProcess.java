package dev.acmesmime.deploy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.TooMuchDataException;
import org.subethamail.wiser.Wiser;

import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.Dnsmasq;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.SecretScan;
import dev.acmesmime.testing.SecretScan.Secret;
import dev.acmesmime.testing.TestKeys;
import dev.acmesmime.testing.WebAdminClient;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * A James 3.8.1 process of the organisation role: {@code bin/james} with a copy of {@code conf/org}
 * (free ports, the test's dnsmasq, RemoteDelivery's gateway pointed at an in-JVM SMTP sink), a DKIM key
 * for org.example in HOME/var/dkim, the CA's key in dnsmasq. For the process test and the benchmark.
 * Closing it first checks that no secret of the node reached its logs or mail repositories.
 */
final class OrgRoleProcess implements AutoCloseable {

    static final String DOMAIN = "org.example";
    static final String CA = "acme@ca.test";

    final Path work;
    final Path home;
    final Env env;
    final TestKeys caKey;
    final TestKeys orgKey;
    final Dnsmasq dns;
    final TimedSink sink;
    private final boolean ownsEnv;
    final int smtpPort;
    final int imapPort;
    final int webAdminPort;
    private final JamesLauncher james;
    private String startOutput;
    private final Path conf;
    private final String javaOpts;
    /** Secrets a test handed over (token-part2 values), checked with the node's own at {@link #close()}. */
    private final List<Secret> noted = new CopyOnWriteArrayList<>();

    /**
     * An SMTP sink that notes when each message arrived (System.nanoTime()); while {@link #refusing} is set it
     * answers every RCPT with 451, a temporary refusal (issue 14 §3: the gateway refuses for a while).
     */
    static class TimedSink extends Wiser {
        final Map<String, Long> arrivals = new ConcurrentHashMap<>();
        final AtomicBoolean refusing = new AtomicBoolean();
        final AtomicInteger refused = new AtomicInteger();

        TimedSink(int port) {
            super(port);
            getServer().setBindAddress(InetAddress.getLoopbackAddress());
        }

        @Override
        public boolean accept(String from, String recipient) {
            if (refusing.get()) {
                refused.incrementAndGet();
                throw new RejectException(451, "4.3.0 try again later (test sink refusing)");
            }
            return super.accept(from, recipient);
        }

        @Override
        public void deliver(String from, String recipient, InputStream data) throws TooMuchDataException, IOException {
            // read the message here rather than take the sink's last one: deliveries run concurrently
            byte[] raw = data.readAllBytes();
            super.deliver(from, recipient, new ByteArrayInputStream(raw));
            long now = System.nanoTime();
            String text = new String(raw, StandardCharsets.ISO_8859_1).replaceAll("\r\n[ \t]+", " ");
            Matcher m = Pattern.compile("(?im)^Subject: (.*?)\r?$").matcher(text);
            if (m.find()) {
                arrivals.put(m.group(1).trim(), now);
            }
        }
    }

    /**
     * What several James nodes of one test share: the CA's and the organisation's keys, DNS, the sink.
     *
     * @param ed25519 whether Ed25519 keys (RFC 8463) are published next to the RSA ones: the CA's at
     *                {@value #CA_ED25519_SELECTOR}._domainkey.ca.test, the organisation's at
     *                {@value #ORG_ED25519_SELECTOR}._domainkey.org.example, and its key file given to the node
     *                too, so that it signs each response with both keys
     */
    record Env(DkimDns keys, TimedSink sink, boolean ed25519) implements AutoCloseable {
        static final String CA_ED25519_SELECTOR = "caed";
        static final String ORG_ED25519_SELECTOR = "acmeed";

        static Env start() throws Exception {
            return start(false);
        }

        static Env start(boolean ed25519) throws Exception {
            // TTL 300 s, as published DKIM keys have: the responder's resolver caches them like in production
            DkimDns keys = ed25519
                    ? DkimDns.keys(k -> k.rsa("ca", 2048).rsa("org", 2048).ed25519("ca-ed").ed25519("org-ed"))
                            .publish(CA_ED25519_SELECTOR, "ca.test", "ca-ed").publish(ORG_ED25519_SELECTOR, DOMAIN, "org-ed")
                    : DkimDns.keys(k -> k.rsa("ca", 2048).rsa("org", 2048));
            keys.publish("ca", "ca.test", "ca").publish("acme", DOMAIN, "org").ttl(300).start();
            TimedSink sink = new TimedSink(FreePorts.tcp());
            sink.start();
            return new Env(keys, sink, ed25519);
        }

        TestKeys caKey() {
            return keys.key("ca");
        }

        TestKeys orgKey() {
            return keys.key("org");
        }

        Dnsmasq dns() {
            return keys.dns();
        }

        @Override
        public void close() throws IOException {
            try {
                sink.stop();
            } finally {
                keys.close();
            }
        }
    }

    OrgRoleProcess(Path work, int rateLimitPerMailbox, int rateLimitPerSenderDomain, String javaOpts) throws Exception {
        this(work, Env.start(), true, rateLimitPerMailbox, rateLimitPerSenderDomain, javaOpts, "");
    }

    /** A node with RSA and Ed25519 keys ({@link Env#ed25519()}), owning its environment. */
    static OrgRoleProcess withEd25519(Path work, int rateLimitPerMailbox, int rateLimitPerSenderDomain) throws Exception {
        return new OrgRoleProcess(work, Env.start(true), true, rateLimitPerMailbox, rateLimitPerSenderDomain, null, "");
    }

    /**
     * @param storeProperties lines appended to the copy's acme-smime.properties (e.g. a shared PostgreSQL)
     */
    OrgRoleProcess(Path work, Env env, boolean ownsEnv, int rateLimitPerMailbox, int rateLimitPerSenderDomain,
                   String javaOpts, String storeProperties) throws Exception {
        this(work, env, ownsEnv, rateLimitPerMailbox, rateLimitPerSenderDomain, javaOpts, storeProperties,
                env.sink().getServer().getPort());
    }

    /**
     * @param gatewayPort where RemoteDelivery sends the responses: the sink of {@code env}, or another
     *                    James's SMTP port (a CA-role James, in the enrolment chain)
     */
    OrgRoleProcess(Path work, Env env, boolean ownsEnv, int rateLimitPerMailbox, int rateLimitPerSenderDomain,
                   String javaOpts, String storeProperties, int gatewayPort) throws Exception {
        this(work, env, ownsEnv, rateLimitPerMailbox, rateLimitPerSenderDomain, javaOpts, storeProperties, gatewayPort,
                (conf, home) -> { });
    }

    /** A test's own change to the node's copy of conf/org or its home, made before James first starts. */
    @FunctionalInterface
    interface Setup {
        void apply(Path conf, Path home) throws IOException;
    }

    /**
     * @param setup run on the conf copy and home once they are written, before James starts (e.g. another
     *              RemoteDelivery, a second domain's DKIM key)
     */
    OrgRoleProcess(Path work, Env env, boolean ownsEnv, int rateLimitPerMailbox, int rateLimitPerSenderDomain,
                   String javaOpts, String storeProperties, int gatewayPort, Setup setup) throws Exception {
        this.work = Files.createDirectories(work);
        this.home = work.resolve("home");
        this.env = env;
        this.ownsEnv = ownsEnv;
        Assembly.fromBuild(); // fail early with a clear message when not run after `package`
        caKey = env.caKey();
        orgKey = env.orgKey();
        dns = env.dns();
        sink = env.sink();
        smtpPort = FreePorts.tcp();
        imapPort = FreePorts.tcp();
        webAdminPort = FreePorts.tcp();
        this.javaOpts = javaOpts;
        conf = work.resolve("conf-org");
        OrgJames.writeConf(conf, new OrgJames.Settings(smtpPort, imapPort, webAdminPort, dns.server(),
                gatewayPort, rateLimitPerMailbox, rateLimitPerSenderDomain));
        Files.writeString(conf.resolve("acme-smime.properties"), "\n" + storeProperties + "\n",
                StandardOpenOption.APPEND);
        Path keys = Files.createDirectories(home.resolve("var/dkim"));
        Files.copy(orgKey.pkcs8(), keys.resolve("acme._domainkey." + DOMAIN + ".pem"));
        if (env.ed25519()) {
            Files.copy(env.keys().key("org-ed").pkcs8(), keys.resolve(Env.ORG_ED25519_SELECTOR + "._domainkey." + DOMAIN + ".pem"));
        }
        setup.apply(conf, home);
        james = new JamesLauncher(home, work);
        startOutput = startJames();
    }

    /** {@code kill -9} of this node's James (its home, store and conf stay); {@link #restart()} brings it back. */
    void kill() throws Exception {
        james.kill();
    }

    /** Stops this node's James the way an admin does ({@code bin/james stop}), leaving its home. */
    void stopJames() throws Exception {
        JamesLauncher.Launch stop = james.stop();
        if (stop.exitCode() != 0) {
            throw new IllegalStateException("bin/james stop failed: " + stop.output());
        }
    }

    /** Starts James again on the same home and conf, after {@link #kill()} or {@link #stopJames()}. */
    void restart() throws Exception {
        startJames();
    }

    /** {@code bin/james start}; its output. */
    private String startJames() throws IOException, InterruptedException {
        JamesLauncher.Launch start = james.start(conf, javaOpts);
        if (start.exitCode() != 0) {
            throw new IllegalStateException("bin/james start failed: " + start.output() + "\n" + log());
        }
        return start.output();
    }

    /** The copy of conf/org this node runs (its acme-smime.properties names the store and master key). */
    Path conf() {
        return conf;
    }

    /** Waits until this node's James process has ended by itself (a test hook halted it), at most {@code seconds}. */
    boolean awaitDeath(long seconds) throws InterruptedException {
        Optional<ProcessHandle> process = james.process();
        if (process.isEmpty()) {
            return true;
        }
        try {
            process.get().onExit().get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (ExecutionException | TimeoutException e) {
            return !process.get().isAlive();
        }
    }

    /** The pid of this node's James process (for jcmd, /proc). */
    long pid() {
        return james.process().orElseThrow(() -> new IllegalStateException("James is not running")).pid();
    }

    /** WebAdmin of this node. */
    WebAdminClient webAdmin() {
        return new WebAdminClient(webAdminPort);
    }

    /**
     * Registers a pending challenge from {@link #CA} over WebAdmin, expiring in an hour, and notes its
     * token-part2 as a secret.
     */
    void registerChallenge(String mailbox, String challengeUrl, String tokenPart2, String thumbprint) throws Exception {
        Http put = webAdmin().send("PUT", "/acme-smime/pending-challenges/" + mailbox,
                "{\"from\":\"" + CA + "\",\"tokenPart2\":\"" + tokenPart2 + "\",\"accountThumbprint\":\""
                        + thumbprint + "\",\"challengeUrl\":\"" + challengeUrl + "\",\"expires\":\""
                        + Instant.now().plus(Duration.ofHours(1)) + "\"}");
        if (put.status() != 204) {
            throw new IllegalStateException("registering " + challengeUrl + ": " + put.status() + " " + put.body());
        }
        noteSecret("token-part2", tokenPart2);
    }

    String startOutput() {
        return startOutput;
    }

    String log() throws IOException {
        return james.log();
    }

    /** A secret the test gave this James (e.g. a token-part2), which must not show where admins look. */
    void noteSecret(String kind, String value) {
        noted.add(Secret.value(kind, value));
    }

    /**
     * Issue 14 §5: none of this node's secrets (master key, its DKIM keys, the noted ones) and no private
     * key in its logs or its mail repositories. The organisation role has no audit export.
     */
    void checkSecrets() throws IOException {
        List<Secret> secrets = new ArrayList<>(JamesSecrets.dkimKeys(home.resolve("var/dkim")));
        secrets.add(JamesSecrets.masterKey(conf, home));
        secrets.addAll(noted);
        new SecretScan(secrets).check(JamesSecrets.places(home));
    }

    /** Checks the secrets ({@link #checkSecrets()}), then stops James and, when this node owns it, the environment. */
    @Override
    public void close() throws Exception {
        try {
            checkSecrets();
        } finally {
            stop();
        }
    }

    private void stop() throws Exception {
        try {
            james.stop();
        } finally {
            if (ownsEnv) {
                env.close();
            }
        }
    }
}
