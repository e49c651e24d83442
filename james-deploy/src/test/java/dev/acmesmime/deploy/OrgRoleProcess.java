package dev.acmesmime.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.subethamail.wiser.Wiser;

import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.Dnsmasq;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.TestKeys;

/**
 * A James 3.8.1 process of the organisation role: {@code bin/james} with a copy of {@code conf/org}
 * (free ports, the test's dnsmasq, RemoteDelivery's gateway pointed at an in-JVM SMTP sink), a DKIM key
 * for org.example in HOME/var/dkim, the CA's key in dnsmasq. For the process test and the benchmark.
 */
final class OrgRoleProcess implements AutoCloseable {

    static final String DOMAIN = "org.example";
    static final String CA = "acme@ca.test";
    static final Duration START_TIMEOUT = Duration.ofMinutes(3);

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
    private final Path launcher = Path.of(System.getProperty("james.launcher", "bin/james")).toAbsolutePath();
    private final String startOutput;

    /** An SMTP sink that notes when each message arrived (System.nanoTime()). */
    static final class TimedSink extends Wiser {
        final Map<String, Long> arrivals = new ConcurrentHashMap<>();

        TimedSink(int port) {
            super(port);
            getServer().setBindAddress(InetAddress.getLoopbackAddress());
        }

        @Override
        public void deliver(String from, String recipient, InputStream data) throws org.subethamail.smtp.TooMuchDataException, IOException {
            // read the message here rather than take the sink's last one: deliveries run concurrently
            byte[] raw = data.readAllBytes();
            super.deliver(from, recipient, new java.io.ByteArrayInputStream(raw));
            long now = System.nanoTime();
            String text = new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1).replaceAll("\r\n[ \t]+", " ");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?im)^Subject: (.*?)\r?$").matcher(text);
            if (m.find()) {
                arrivals.put(m.group(1).trim(), now);
            }
        }
    }

    /** What several James nodes of one test share: the CA's and the organisation's keys, DNS, the sink. */
    record Env(TestKeys caKey, TestKeys orgKey, Dnsmasq dns, TimedSink sink) implements AutoCloseable {
        static Env start(Path dir) throws Exception {
            TestKeys ca = TestKeys.generate(2048, dir, "ca");
            TestKeys org = TestKeys.generate(2048, dir, "org");
            // TTL 300 s, as published DKIM keys have: the responder's resolver caches them like in production
            Dnsmasq dns = Dnsmasq.builder().key("ca", "ca.test", ca.record()).key("acme", DOMAIN, org.record())
                    .ttl(300).start();
            TimedSink sink = new TimedSink(FreePorts.tcp());
            sink.start();
            return new Env(ca, org, dns, sink);
        }

        @Override
        public void close() {
            try {
                sink.stop();
            } finally {
                dns.close();
            }
        }
    }

    OrgRoleProcess(Path work, int rateLimitPerMailbox, int rateLimitPerSenderDomain, String javaOpts) throws Exception {
        this(work, Env.start(Files.createDirectories(work)), true, rateLimitPerMailbox, rateLimitPerSenderDomain, javaOpts, "");
    }

    /**
     * @param storeProperties lines appended to the copy's acme-smime.properties (e.g. a shared PostgreSQL)
     */
    OrgRoleProcess(Path work, Env env, boolean ownsEnv, int rateLimitPerMailbox, int rateLimitPerSenderDomain,
                   String javaOpts, String storeProperties) throws Exception {
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
        Path conf = work.resolve("conf-org");
        OrgJames.writeConf(conf, new OrgJames.Settings(smtpPort, imapPort, webAdminPort, dns.server(),
                sink.getServer().getPort(), rateLimitPerMailbox, rateLimitPerSenderDomain));
        Files.writeString(conf.resolve("acme-smime.properties"), "\n" + storeProperties + "\n",
                java.nio.file.StandardOpenOption.APPEND);
        Path keys = Files.createDirectories(home.resolve("var/dkim"));
        Files.copy(orgKey.pkcs8(), keys.resolve("acme._domainkey." + DOMAIN + ".pem"));
        Launch start = launch(javaOpts, "start", "--conf", conf.toString(), "--home", home.toString(),
                "--timeout", String.valueOf(START_TIMEOUT.toSeconds()));
        if (start.exitCode() != 0) {
            throw new IllegalStateException("bin/james start failed: " + start.output() + "\n" + log());
        }
        startOutput = start.output();
    }

    String startOutput() {
        return startOutput;
    }

    String log() throws IOException {
        Path log = home.resolve("log/james.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws Exception {
        try {
            Optional<ProcessHandle> james = jamesProcess().filter(ProcessHandle::isAlive);
            launch(null, "stop", "--home", home.toString(), "--timeout", "60");
            james.filter(ProcessHandle::isAlive).ifPresent(ProcessHandle::destroyForcibly);
        } finally {
            if (ownsEnv) {
                env.close();
            }
        }
    }

    private Optional<ProcessHandle> jamesProcess() {
        try {
            return ProcessHandle.of(Long.parseLong(Files.readString(home.resolve("james.pid")).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    record Launch(int exitCode, String output) {
    }

    private Launch launch(String javaOpts, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile(work, "launcher", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().put("JAMES_JAVA_OPTS", javaOpts != null ? javaOpts : "-Xmx256m -XX:+UseSerialGC");
        Process process = builder.start();
        if (!process.waitFor(START_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        return new Launch(process.isAlive() ? -1 : process.exitValue(), Files.readString(output));
    }
}
