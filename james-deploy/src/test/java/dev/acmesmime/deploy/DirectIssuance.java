package dev.acmesmime.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.subethamail.wiser.Wiser;

import dev.acmesmime.acme.EmailReply00Challenge;
import dev.acmesmime.acme.KeyType;
import dev.acmesmime.acme.Keys;
import dev.acmesmime.acme.TrustingAcmeProvider;
import dev.acmesmime.store.SecretBytes;
import dev.acmesmime.testca.client.CaRoleForwarder;
import dev.acmesmime.testca.client.ChallengeMails;
import dev.acmesmime.testca.client.Csrs;
import dev.acmesmime.testca.client.Enrolment;
import dev.acmesmime.testca.client.TestCaTrust;
import dev.acmesmime.testing.FreePorts;

/**
 * The baseline of {@link EnrolmentBenchmark}: the test CA's own issuance rate. A second {@code bin/test-ca}
 * process, started as the benchmark's, sends its challenge mails to an in-JVM SMTP sink; an acme4j client
 * with as many threads as the enrolment's concurrency answers each challenge directly (the response's
 * result POSTed over the native contract, as the CA-role James would, by test-ca's {@link CaRoleForwarder}),
 * triggers it, finalizes with an S/MIME CSR of the same key type and downloads the chain. No James, no
 * DKIM, no store: what is left is the CA's own cost per certificate and the ACME round trips.
 */
final class DirectIssuance implements AutoCloseable {

    /** The figures of one baseline run. */
    record Result(int issued, int failed, Duration wall, Duration caCpu) {
        double perMinute() {
            return issued * 60_000.0 / Math.max(1, wall.toMillis());
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final ChallengeSink sink;
    private final TestCaProcess ca;

    private DirectIssuance(ChallengeSink sink, TestCaProcess ca) {
        this.sink = sink;
        this.ca = ca;
    }

    static DirectIssuance start() throws Exception {
        ChallengeSink sink = new ChallengeSink(FreePorts.tcp());
        sink.start();
        try {
            return new DirectIssuance(sink, TestCaProcess.start(Map.of("http.port", Integer.toString(FreePorts.tcp()),
                    "tls", "true", "management.port", Integer.toString(FreePorts.tcp()),
                    "smtp.port", Integer.toString(sink.getServer().getPort()))));
        } catch (Exception | AssertionError e) {
            sink.stop();
            throw e;
        }
    }

    /** Issues one certificate for each of {@code n} mailboxes of {@code domain}, {@code threads} at a time. */
    Result run(int n, String domain, int threads, KeyType keyType) throws Exception {
        Session session = new Session(ca.directory(), new TrustingAcmeProvider(
                TestCaTrust.sslContext(List.of(ca.rootPem(), ca.dataDir.resolve("tls.pem")))));
        Login login = new AccountBuilder().agreeToTermsOfService().useKeyPair(Keys.account()).createLogin(session);
        String key = Files.readString(TestCaProcess.shippedPath("forward.hmacKeyFile")).strip();
        CaRoleForwarder forwarder = new CaRoleForwarder(TrustedHttp.trusting(ca.rootPem()), ca.resultUrl(),
                "ca-james-1", SecretBytes.of(key.getBytes(StandardCharsets.US_ASCII)));
        Duration cpuBefore = ProcessStats.cpu(ca.pid());
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Boolean>> done = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String address = "direct" + i + "@" + domain;
            done.add(pool.submit(() -> issue(login, forwarder, address, keyType)));
        }
        int issued = 0;
        for (Future<Boolean> f : done) {
            issued += f.get() ? 1 : 0;
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        pool.shutdown();
        return new Result(issued, n - issued, wall, ProcessStats.cpu(ca.pid()).minus(cpuBefore));
    }

    /** One certificate as the engine gets it: order, answer, trigger, finalize, download. */
    private boolean issue(Login login, CaRoleForwarder forwarder, String address, KeyType keyType) {
        try {
            Order order = login.newOrder().identifier(Enrolment.email(address)).create();
            EmailReply00Challenge challenge = Enrolment.challenge(order);
            ChallengeMails.Received mail = sink.await(address);
            CaRoleForwarder.Answer answer = forwarder.post(mail, challenge.digest(mail.tokenPart1()));
            if (answer.status() / 100 != 2) {
                throw new IllegalStateException("result refused: " + answer.body());
            }
            challenge.trigger();
            if (challenge.waitForCompletion(WAIT) != Status.VALID) {
                throw new IllegalStateException("challenge " + challenge.getStatus());
            }
            order.waitUntilReady(WAIT);
            order.execute(Csrs.smime(Keys.generate(keyType), address));
            if (order.waitForCompletion(WAIT) != Status.VALID) {
                throw new IllegalStateException("order " + order.getStatus());
            }
            order.getCertificate().download();
            return true;
        } catch (Exception e) {
            System.err.println("baseline: " + address + ": " + e);
            return false;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            ca.close();
        } finally {
            sink.stop();
        }
    }

    /** An SMTP sink that keeps only each challenge mail's facts, by recipient, so a lookup is not a scan. */
    static final class ChallengeSink extends Wiser {
        private static final Pattern SUBJECT = Pattern.compile("(?im)^Subject: ACME: (\\S+)\\s*$");
        private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID: *(\\S+)\\s*$");
        private final Map<String, ChallengeMails.Received> byRecipient = new ConcurrentHashMap<>();

        ChallengeSink(int port) {
            super(port);
            getServer().setBindAddress(InetAddress.getLoopbackAddress());
        }

        @Override
        public void deliver(String from, String recipient, InputStream data) throws IOException {
            String text = new String(data.readAllBytes(), StandardCharsets.ISO_8859_1);
            String head = text.substring(0, Math.max(0, text.indexOf("\r\n\r\n"))).replaceAll("\r\n[ \t]+", " ");
            Matcher subject = SUBJECT.matcher(head);
            Matcher id = MESSAGE_ID.matcher(head);
            if (subject.find() && id.find()) {
                byRecipient.put(recipient.toLowerCase(), new ChallengeMails.Received(recipient, from,
                        "ACME: " + subject.group(1), subject.group(1), id.group(1), Optional.empty(), Optional.empty()));
            }
        }

        ChallengeMails.Received await(String address) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                ChallengeMails.Received r = byRecipient.remove(address.toLowerCase());
                if (r != null) {
                    return r;
                }
                Thread.sleep(20);
            }
            throw new IllegalStateException("no challenge mail to " + address + " within " + WAIT);
        }
    }
}
