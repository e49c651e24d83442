package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.net.imap.IMAPClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.WebAdminClient.Http;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.testing.TestChallenge;

/**
 * End-to-end latency of the organisation role in a real James 3.8.1 process ({@code bin/james}, conf/org):
 * for each of {@code bench.challenges} (default 1000) challenges, the time from the start of the SMTP
 * session that brings it in until its response reaches the SMTP sink (RemoteDelivery's gateway). Compared
 * with the same James on mails of the same size: plain local delivery (SMTP in until IMAP STATUS shows the
 * message) and plain relay (SMTP in until the sink has it). One mail at a time, so each figure is a latency,
 * not a throughput.
 * <p>
 * Not a test (no assertion on time): run it with {@code james-deploy/bin/benchmark-org} or
 * {@code mvn -B -o -pl core,matcher,mailet,james-deploy verify -Dtest=OrgRoleBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.challenges=1000}.
 * Results go to stdout and {@code james-deploy/target/benchmark-org.txt}.
 */
class OrgRoleBenchmark {

    static final String ALICE = "alice@" + OrgRoleProcess.DOMAIN;
    static final String BOB = "bob@" + OrgRoleProcess.DOMAIN;
    static final String PASSWORD = "secret";
    static final int WARM_UP = 50;

    @Test
    void latency(@TempDir Path work) throws Exception {
        int n = Integer.getInteger("bench.challenges", 1000);
        try (OrgRoleProcess james = new OrgRoleProcess(work, 0, 0, "-Xmx384m")) {
            for (String user : List.of(ALICE, BOB)) {
                Http put = james.webAdmin().send("PUT", "/users/" + user, "{\"password\":\"" + PASSWORD + "\"}");
                assertThat(put.status()).as(put.body()).isEqualTo(204);
            }
            DkimSigner ca = DkimSigner.builder().privateKey(james.caKey.pkcs8()).selector("ca").build();

            challenges(james, ca, WARM_UP);
            List<Long> responder = challenges(james, ca, n);

            int size = TestChallenge.builder().to(ALICE).build().length + 700; // about a signed challenge
            localDelivery(james, WARM_UP, size);
            List<Long> local = localDelivery(james, n, size);
            relay(james, WARM_UP, size);
            List<Long> relay = relay(james, n, size);

            String report = String.format(Locale.ROOT, "organisation role, James 3.8.1 process (bin/james, conf/org, -Xmx384m), "
                            + "%d cores, %d mails each after %d warm-up, one at a time%n%s%n%s%n%s%n",
                    Runtime.getRuntime().availableProcessors(), n, WARM_UP,
                    line("challenge -> response at sink", responder),
                    line("plain local delivery (IMAP)", local),
                    line("plain relay to sink", relay));
            System.out.println(report);
            Files.writeString(Path.of("target/benchmark-org.txt"), report);
            assertThat(responder).hasSize(n);
        }
    }

    /** Each challenge: register over WebAdmin, sign, then time SMTP in until the response is at the sink. */
    private List<Long> challenges(OrgRoleProcess james, DkimSigner ca, int count) throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String url = "https://ca.test/acme/chall/bench-" + System.nanoTime();
            Http put = james.webAdmin().send("PUT", "/acme-smime/pending-challenges/" + ALICE,
                    "{\"from\":\"" + OrgRoleProcess.CA + "\",\"tokenPart2\":\"DGyRejmCefe7v4NfDGDKfA\","
                            + "\"accountThumbprint\":\"LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ\",\"challengeUrl\":\""
                            + url + "\",\"expires\":\"" + Instant.now().plus(Duration.ofHours(1)) + "\"}");
            assertThat(put.status()).as(put.body()).isEqualTo(204);
            TestChallenge c = TestChallenge.builder().from(OrgRoleProcess.CA).to(ALICE);
            byte[] raw = ca.sign(c.build(), MessageKind.CHALLENGE);
            String subject = "Re: ACME: " + c.token();

            long start = System.nanoTime();
            OrgJames.send(james.smtpPort, OrgRoleProcess.CA, ALICE, raw);
            latencies.add(awaitArrival(james, subject) - start);
        }
        return latencies;
    }

    private List<Long> relay(OrgRoleProcess james, int count, int size) throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String subject = "relay " + System.nanoTime();
            long start = System.nanoTime();
            OrgJames.send(james.smtpPort, BOB, "carol@elsewhere.test", ordinary(BOB, "carol@elsewhere.test", subject, size));
            latencies.add(awaitArrival(james, subject) - start);
        }
        return latencies;
    }

    private List<Long> localDelivery(OrgRoleProcess james, int count, int size) throws Exception {
        List<Long> latencies = new ArrayList<>();
        IMAPClient imap = new IMAPClient();
        imap.connect("127.0.0.1", james.imapPort);
        try {
            assertThat(imap.login(BOB, PASSWORD)).isTrue();
            int messages = messages(imap);
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                OrgJames.send(james.smtpPort, "dave@elsewhere.test", BOB,
                        ordinary("dave@elsewhere.test", BOB, "local " + System.nanoTime(), size));
                long deadline = start + TimeUnit.MINUTES.toNanos(1);
                while (messages(imap) == messages) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("local delivery not visible after 1 minute");
                    }
                }
                latencies.add(System.nanoTime() - start);
                messages++;
            }
            imap.logout();
        } finally {
            imap.disconnect();
        }
        return latencies;
    }

    private static int messages(IMAPClient imap) throws Exception {
        imap.status("INBOX", new String[] {"MESSAGES"});
        Matcher m = Pattern.compile("MESSAGES (\\d+)").matcher(imap.getReplyString());
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    private static long awaitArrival(OrgRoleProcess james, String subject) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (true) {
            Long at = james.sink.arrivals.get(subject);
            if (at != null) {
                return at;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing reached the sink with Subject " + subject);
            }
            Thread.sleep(0, 200_000);
        }
    }

    private static byte[] ordinary(String from, String to, String subject, int size) {
        StringBuilder s = new StringBuilder("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject
                + "\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\nMessage-ID: <" + System.nanoTime() + "@bench.test>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        while (s.length() < size) {
            s.append("The quick brown fox jumps over the lazy dog, again and again.\r\n");
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String line(String name, List<Long> nanos) {
        List<Long> sorted = new ArrayList<>(nanos);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "%-32s median %6.1f ms   p99 %6.1f ms   mean %6.1f ms   max %6.1f ms",
                name, ms(percentile(sorted, 50)), ms(percentile(sorted, 99)),
                ms((long) sorted.stream().mapToLong(Long::longValue).average().orElse(0)), ms(sorted.get(sorted.size() - 1)));
    }

    private static long percentile(List<Long> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }
}
