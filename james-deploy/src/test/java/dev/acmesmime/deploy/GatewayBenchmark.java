package dev.acmesmime.deploy;

import static dev.acmesmime.testing.ConfFiles.replaceOnce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.MailboxCertificates;
import dev.acmesmime.testing.Openssl;
import dev.acmesmime.testing.WebAdminClient.Http;
import dev.acmesmime.testing.WebAdminClient;

/**
 * Issue 16's gateway benchmark (a benchmark, not a test: it runs only with {@code -Dacme.bench.gateway=true};
 * {@code benchmarks/gateway.sh [N] [--key ec256|rsa2048]} runs it). What the S/MIME gateway costs a real
 * organisation James 3.8.1 ({@code bin/james}, conf/org), against the same James relaying the same mails with the
 * gateway off, in one run:
 * <ol>
 * <li>alice@org.example enrols through the processes of {@link EnrolmentChain} (test CA, CA-role James), with the
 *     profile's key type {@code acme.bench.key}, {@code gateway.trustAnchors} naming the correspondents' root
 *     ({@link MailboxCertificates}); then the organisation James is stopped, its RemoteDelivery gateway pointed
 *     at the benchmark's SMTP sink (an admin's edit), and started again;</li>
 * <li>two correspondents at partner.test, with keys of the same type ({@link Correspondent}), each send alice a
 *     signed mail, from which the gateway learns their certificates ({@code GET /acme-smime/certificates/…}
 *     answers): carol's made by {@code openssl cms -sign}, whose SMIMECapabilities list CBC ciphers only,
 *     dave's by BouncyCastle listing AES-256-GCM ({@link GcmCapableMail});</li>
 * <li>four variants, each set over WebAdmin ({@code PUT /acme-smime/gateway/policies/{scope}} for org.example,
 *     the senders' domain, and partner.test, the recipients'): (a) signing and encryption off, James alone;
 *     (b) signing; (c) signing and encryption (opportunistic) to carol: AES-256-CBC EnvelopedData; (d) the same
 *     to dave: AES-256-GCM AuthEnvelopedData (G7). First {@code acme.bench.warmup} mails (1,000) of each variant,
 *     not measured; then {@code acme.bench.rounds} (2) rounds of the four in turn, each {@code acme.bench.n}
 *     (2,000) mails of 10 KiB over {@code acme.bench.connections} (16) SMTP connections logged in as alice
 *     (AUTH PLAIN); the throughput is mails per second from the first send until the sink holds all of them
 *     ({@link GatewayRound}), a variant's over all rounds its mails divided by its rounds' time. With 4 connections the sender's own round trips limited James
 *     alone to about half of what 16 reach, hiding the gateway's cost.</li>
 * </ol>
 * It fails, whatever the speed, when a mail is lost or duplicated, or when a caught mail is not in its variant's
 * form: plain text in (a), {@code multipart/signed} in (b), {@code application/pkcs7-mime} with the smime-type
 * {@code enveloped-data} in (c) and {@code authEnveloped-data} in (d). Reported: each variant's rate, the
 * ratios to (a) (goal for (b)/(a): at least 0.5 with EC P-256), the organisation James's CPU per mail (and this
 * JVM's, the sender's and the sink's), its heap after a full GC before and after ({@link ProcessStats}), and the
 * load average (the machine is shared). The organisation James runs with {@code acme.james.javaOpts}
 * ({@code -Xmx384m -XX:+UseSerialGC}). The report goes to stdout and to
 * {@code james-deploy/target/benchmark-gateway-<key>-<n>.txt}.
 */
@EnabledIfSystemProperty(named = "acme.bench.gateway", matches = "true")
class GatewayBenchmark {

    static final int N = Integer.getInteger("acme.bench.n", 2000);
    static final int WARM_UP = Integer.getInteger("acme.bench.warmup", 1000);
    static final String KEY = System.getProperty("acme.bench.key", "ec256");
    static final int CONNECTIONS = Integer.getInteger("acme.bench.connections", 16);
    static final int ROUNDS = Integer.getInteger("acme.bench.rounds", 2);
    static final String JAVA_OPTS = System.getProperty("acme.james.javaOpts", "-Xmx384m -XX:+UseSerialGC");
    static final String ALICE = "alice@" + OrgRoleProcess.DOMAIN;
    static final String PARTNER = "partner.test";
    static final String CAROL = "carol@" + PARTNER;
    static final String DAVE = "dave@" + PARTNER;

    /**
     * One variant: the signing policy of the senders' domain, the encryption policy of the recipients', the
     * recipient, and the top-level content type (with its smime-type) every mail must have at the sink.
     */
    record Variant(String name, String sign, String encrypt, String to, String type) {
    }

    static final List<Variant> VARIANTS = List.of(
            new Variant("(a) James alone: sign off, encrypt off", "off", "off", CAROL, "text/plain"),
            new Variant("(b) signing", "sign", "off", CAROL, "multipart/signed"),
            new Variant("(c) signing and encryption, AES-256-CBC (openssl's capabilities)", "sign", "opportunistic",
                    CAROL, "application/pkcs7-mime; smime-type=enveloped-data"),
            new Variant("(d) signing and encryption, AES-256-GCM (capabilities listing it)", "sign", "opportunistic",
                    DAVE, "application/pkcs7-mime; smime-type=authenveloped-data"));

    private final StringBuilder report = new StringBuilder();

    @Test
    void signAndEncrypt(@TempDir Path work) throws Exception {
        String profileKey = switch (KEY) {
            case "ec256" -> "ec-p256";
            case "rsa2048" -> "rsa-2048";
            default -> throw new IllegalArgumentException("acme.bench.key: ec256 or rsa2048, not " + KEY);
        };
        line("gateway benchmark: N=%d mails of %d octets per variant and round, %d rounds after %d warm-up mails per"
                + " variant, key %s (alice's enrolment and the correspondents'), %d SMTP connections logged in as %s;"
                + " organisation James %s, %d cores", N, GatewayRound.SIZE, ROUNDS, WARM_UP, KEY, CONNECTIONS, ALICE,
                JAVA_OPTS, Runtime.getRuntime().availableProcessors());
        line("load average at start: %s", loadAverage());
        MailboxCertificates partners = new MailboxCertificates("Partner Bench Root");
        Path root = Files.writeString(work.resolve("partner-root.pem"), Correspondent.pem(partners.root()));
        Correspondent carol = Correspondent.of(partners, CAROL, keyPair(), "carol", work);
        Correspondent dave = Correspondent.of(partners, DAVE, keyPair(), "dave", work);
        OrgRoleProcess.TimedSink sink = new OrgRoleProcess.TimedSink(FreePorts.tcp());
        sink.start();
        try (EnrolmentChain chain = EnrolmentChain.start(Map.of(), Map.of("enrolment.profile." + EnrolmentChain.MAIN
                + ".keyType", profileKey, "gateway.trustAnchors", root.toString()), JAVA_OPTS, (conf, home) -> { })) {
            chain.createUser(ALICE);
            chain.awaitStep(ALICE, "issued");
            relayToSink(chain, sink.getServer().getPort());
            learn(chain.org, CAROL, carol.signedMail(new Openssl(work), CAROL, ALICE, "my certificate", "<carol.1@partner.test>"));
            learn(chain.org, DAVE, GcmCapableMail.signed(dave, ALICE, "my certificate", "<dave.1@partner.test>"));
            measure(chain.org, sink);
        } finally {
            sink.stop();
            Files.writeString(Path.of("target", "benchmark-gateway-" + KEY + "-" + N + ".txt"), report);
        }
    }

    /**
     * The organisation James's smarthost becomes the sink (it was the CA-role James, for the challenge responses):
     * an edit of its conf, then a restart, after which alice is a user again.
     */
    private static void relayToSink(EnrolmentChain chain, int sinkPort) throws Exception {
        OrgRoleProcess org = chain.org;
        org.stopJames();
        replaceOnce(org.conf().resolve("mailetcontainer.xml"), "<gatewayPort>" + chain.caJames.smtpPort
                + "</gatewayPort>", "<gatewayPort>" + sinkPort + "</gatewayPort>");
        org.restart();
        // the memory server forgot its users when it stopped (the store kept alice's enrolment): as a real directory keeps it
        chain.createUser(ALICE);
    }

    /** A correspondent's signed mail in over SMTP, from outside; waits until WebAdmin shows the certificate learnt (G6). */
    private void learn(OrgRoleProcess org, String correspondent, byte[] signedMail) throws Exception {
        OrgJames.send(org.smtpPort, correspondent, ALICE, signedMail);
        WebAdminClient admin = org.webAdmin();
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                .until(() -> admin.get("/acme-smime/certificates/" + correspondent).status() == 200);
        line("%s's certificate learnt from the signed mail it sent alice (its root in gateway.trustAnchors)", correspondent);
    }

    /**
     * Every variant's warm-up first, so that no variant is timed before the code of another is compiled, then
     * {@link #ROUNDS} rounds of the four variants in turn, so that a change of the machine's load falls on all.
     */
    private void measure(OrgRoleProcess org, OrgRoleProcess.TimedSink sink) throws Exception {
        BenchSender sender = new BenchSender(org.smtpPort, CONNECTIONS, ALICE, OrgEnrolments.password(ALICE));
        long heapBefore = ProcessStats.heapAfterGc(org.pid());
        for (Variant v : VARIANTS) {
            check(v, round(org, sink, sender, v).run(label(v) + "-warm", WARM_UP), WARM_UP);
        }
        Map<Variant, List<GatewayRound.Result>> results = new LinkedHashMap<>();
        for (int i = 1; i <= ROUNDS; i++) {
            for (Variant v : VARIANTS) {
                String loadBefore = loadAverage();
                GatewayRound.Result r = round(org, sink, sender, v).run(label(v) + i, N);
                line("round %d, %s: %d mails in %.2f s = %.1f mails/s (all accepted over SMTP after %.2f s); CPU per"
                        + " mail: organisation James %.2f ms, this JVM (sender, sink) %.2f ms; load average before %s,"
                        + " after %s", i, v.name(), r.caught(), r.wall().toNanos() / 1e9, r.perSecond(),
                        r.sent().toNanos() / 1e9, r.cpuMsPerMail(), r.ownCpuMsPerMail(), loadBefore, loadAverage());
                check(v, r, N);
                results.computeIfAbsent(v, k -> new ArrayList<>()).add(r);
            }
        }
        summary(results);
        long heapAfter = ProcessStats.heapAfterGc(org.pid());
        line("organisation James heap after full GC, before the first warm-up → after the last round: %.1f → %.1f MB (%+.1f)",
                mb(heapBefore), mb(heapAfter), mb(heapAfter - heapBefore));
        line("load average at the end: %s", loadAverage());
    }

    /** The variant's policies set, and a round to its recipient. */
    private static GatewayRound round(OrgRoleProcess org, OrgRoleProcess.TimedSink sink, BenchSender sender, Variant v)
            throws Exception {
        policies(org.webAdmin(), v);
        return new GatewayRound(org, sink, sender, ALICE, v.to());
    }

    /** Each variant over all rounds (mails ÷ time), the forms at the sink, and the ratios to (a). */
    private void summary(Map<Variant, List<GatewayRound.Result>> results) {
        List<GatewayRound.Result> totals = new ArrayList<>();
        for (Map.Entry<Variant, List<GatewayRound.Result>> e : results.entrySet()) {
            GatewayRound.Result t = GatewayRound.Result.total(e.getValue());
            totals.add(t);
            line("all rounds, %s: %.1f mails/s, organisation James CPU %.2f ms per mail; at the sink %s;"
                    + " X-Acme-Smime-Gateway: %s", e.getKey().name(), t.perSecond(), t.cpuMsPerMail(), t.types(), t.actions());
        }
        GatewayRound.Result alone = totals.get(0);
        double signing = totals.get(1).perSecond() / alone.perSecond();
        line("throughput ratios to (a): (b) %.2f (goal >= 0.5 with EC P-256%s), (c) %.2f, (d) %.2f", signing,
                KEY.equals("ec256") ? (signing >= 0.5 ? ": met" : ": NOT met") : "; this run is " + KEY,
                totals.get(2).perSecond() / alone.perSecond(), totals.get(3).perSecond() / alone.perSecond());
        line("organisation James CPU per mail, (a)'s divided by each (the ratio where James's CPU is the limit): (b) %.2f,"
                + " (c) %.2f, (d) %.2f", alone.cpuMsPerMail() / totals.get(1).cpuMsPerMail(),
                alone.cpuMsPerMail() / totals.get(2).cpuMsPerMail(), alone.cpuMsPerMail() / totals.get(3).cpuMsPerMail());
    }

    /** Every mail arrived once, each in the variant's form. */
    private static void check(Variant v, GatewayRound.Result r, int sent) {
        assertThat(r.caught()).as("%s: mails at the sink (none lost, none twice)", v.name()).isEqualTo(sent);
        assertThat(r.types().keySet()).as("%s: top-level content types at the sink", v.name())
                .allMatch(t -> t.startsWith(v.type()));
    }

    /** The variant's policies over WebAdmin: signing for the senders' domain, encryption for the recipients'. */
    private static void policies(WebAdminClient admin, Variant v) throws Exception {
        for (Map.Entry<String, String> scope : Map.of(OrgRoleProcess.DOMAIN, "{\"sign\":\"" + v.sign()
                + "\",\"encrypt\":\"off\"}", PARTNER, "{\"sign\":\"off\",\"encrypt\":\"" + v.encrypt() + "\"}").entrySet()) {
            Http put = admin.put("/acme-smime/gateway/policies/" + scope.getKey(), scope.getValue());
            assertThat(put.status()).as("PUT policies %s %s: %s", scope.getKey(), scope.getValue(), put.body())
                    .isBetween(200, 204);
        }
    }

    /** A key of {@link #KEY}'s type for a correspondent. */
    private static KeyPair keyPair() throws Exception {
        if (KEY.equals("ec256")) {
            return MailboxCertificates.ec();
        }
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        return rsa.generateKeyPair();
    }

    private static String label(Variant v) {
        return v.name().substring(1, 2);
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String loadAverage() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }

    private void line(String format, Object... args) {
        String s = String.format(Locale.ROOT, format, args);
        System.out.println(s);
        report.append(s).append('\n');
    }
}
