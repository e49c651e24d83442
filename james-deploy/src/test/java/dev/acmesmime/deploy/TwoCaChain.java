package dev.acmesmime.deploy;

import static dev.acmesmime.testing.ConfFiles.replaceOnce;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.acmesmime.testing.DkimDns;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.TempDirs;

/**
 * Issue 15's "two profiles for two domains, each from its own CA", every part in its own process: two test
 * CAs ({@code bin/test-ca}, each with its own root, EAB required), two CA-role James from conf/ca in front
 * of them ({@value #FIRST_CA_DOMAIN} forwarding to the first, {@value #SECOND_CA_DOMAIN} to the second,
 * each signing its test CA's challenge mails with its own DKIM key), one organisation James from conf/org
 * with profile {@value #FIRST} for {@link OrgRoleProcess#DOMAIN} (the first CA) and {@value #SECOND} for
 * {@value #OTHER_DOMAIN} (the second CA), and one dnsmasq serving the four DKIM keys.
 * <p>
 * Mail: both CA James have one {@link MailHop} as RemoteDelivery's gateway, which passes the challenges on
 * to the organisation. The organisation's copy of conf/org sends responses by recipient domain: a
 * RemoteDelivery for {@code HostIs=}{@value #SECOND_CA_DOMAIN} whose gateway is the second CA James, and
 * conf/org's own RemoteDelivery, whose gateway is the first, for the rest. That is the test's
 * configuration of the organisation's mail routing; the plugin itself knows nothing of it.
 */
final class TwoCaChain implements AutoCloseable {

    static final String FIRST = "first";
    static final String SECOND = "second";
    static final String FIRST_CA_DOMAIN = "ca.example";
    static final String SECOND_CA_DOMAIN = "ca2.example";
    static final String OTHER_DOMAIN = "other.test";
    /** The organisation's DKIM selector, for both of its domains. */
    private static final String ORG_SELECTOR = "acme";

    final Path work;
    final CaSide first;
    final CaSide second;
    final OrgRoleProcess org;
    final OrgEnrolments enrolments;
    private final Deque<AutoCloseable> started;

    private TwoCaChain(Path work, CaSide first, CaSide second, OrgRoleProcess org, Deque<AutoCloseable> started) {
        this.work = work;
        this.first = first;
        this.second = second;
        this.org = org;
        this.enrolments = new OrgEnrolments(org.webAdmin(), EnrolmentChain.WAIT);
        this.started = started;
    }

    /** Starts every part, the CA sides before the organisation; on failure stops what started. */
    static TwoCaChain start() throws Exception {
        Deque<AutoCloseable> started = new ArrayDeque<>();
        Path work = Files.createTempDirectory("acme-smime-two-ca");
        started.push(() -> TempDirs.delete(work));
        try {
            MailHop hop = MailHop.open();
            // "ca" and "org": the names OrgRoleProcess.Env reads; "ca" is not published here
            DkimDns keys = DkimDns.keys(k -> k.rsa("ca", 2048).rsa("org", 2048).rsa("ca1", 2048).rsa("ca2", 2048)
                            .rsa("other", 2048))
                    .publish(CaSide.SELECTOR, FIRST_CA_DOMAIN, "ca1").publish(CaSide.SELECTOR, SECOND_CA_DOMAIN, "ca2")
                    .publish(ORG_SELECTOR, OrgRoleProcess.DOMAIN, "org").publish(ORG_SELECTOR, OTHER_DOMAIN, "other");
            OrgRoleProcess.Env env = new OrgRoleProcess.Env(keys, hop, false);
            started.push(env); // stops the hop too
            keys.start();
            String firstEab = EnrolmentChain.randomKey();
            String secondEab = EnrolmentChain.randomKey();
            List<CaSide> sides = startSideBySide(List.of(
                    () -> CaSide.start(Files.createDirectories(work.resolve("ca1")), FIRST_CA_DOMAIN,
                            keys.key("ca1").pkcs8(), firstEab, keys.server(), hop.port()),
                    () -> CaSide.start(Files.createDirectories(work.resolve("ca2")), SECOND_CA_DOMAIN,
                            keys.key("ca2").pkcs8(), secondEab, keys.server(), hop.port())), started);
            CaSide first = sides.get(0);
            CaSide second = sides.get(1);
            String settings = enrolmentSettings(work, first, firstEab, second, secondEab);
            OrgRoleProcess org = new OrgRoleProcess(work.resolve("org"), env, false, 5, 100, null, settings,
                    first.james().smtpPort, (conf, home) -> {
                        routeToSecondCa(conf, second.james().smtpPort);
                        Files.copy(keys.key("other").pkcs8(),
                                home.resolve("var/dkim/" + ORG_SELECTOR + "._domainkey." + OTHER_DOMAIN + ".pem"));
                    });
            started.push(org);
            hop.to(org.smtpPort);
            org.noteSecret("first EAB HMAC key", firstEab); // checked with the node's own secrets when it closes
            org.noteSecret("second EAB HMAC key", secondEab);
            return new TwoCaChain(work, first, second, org, started);
        } catch (Exception | AssertionError e) {
            EnrolmentChain.closeAll(started);
            throw e;
        }
    }

    /**
     * The CA sides, started at the same time: James starts are most of the chain's start-up time. Each side
     * that started is in {@code started} when this returns or throws.
     */
    private static List<CaSide> startSideBySide(List<Callable<CaSide>> starts, Deque<AutoCloseable> started)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(starts.size());
        try {
            List<CaSide> sides = new ArrayList<>();
            Exception failure = null;
            for (Future<CaSide> side : pool.invokeAll(starts)) {
                try {
                    sides.add(side.get());
                    started.push(sides.get(sides.size() - 1));
                } catch (ExecutionException e) {
                    Exception cause = new IllegalStateException("a CA side did not start", e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else {
                        failure.addSuppressed(cause);
                    }
                }
            }
            if (failure != null) {
                throw failure;
            }
            return sides;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The organisation's two profiles, each with its own CA's directory, root and EAB key. */
    private static String enrolmentSettings(Path work, CaSide first, String firstEab, CaSide second, String secondEab)
            throws Exception {
        Map<String, String> s = EnrolmentChain.quickEnrolment();
        EnrolmentChain.profile(s, FIRST, first.ca(), OrgRoleProcess.DOMAIN,
                Files.writeString(work.resolve("first-eab.key"), firstEab));
        EnrolmentChain.profile(s, SECOND, second.ca(), OTHER_DOMAIN,
                Files.writeString(work.resolve("second-eab.key"), secondEab));
        return EnrolmentChain.lines(s);
    }

    /**
     * A RemoteDelivery for mail to the second CA's domain, before conf/org's own, with its own outgoing
     * queue (James 3.8.1's parameter {@code outgoing}) and the second CA James as its gateway; on one queue,
     * each RemoteDelivery would send the other's mails through its own gateway.
     */
    private static void routeToSecondCa(Path conf, int gatewayPort) throws IOException {
        String shipped = "<mailet match=\"All\" class=\"RemoteDelivery\">";
        replaceOnce(conf.resolve("mailetcontainer.xml"), shipped,
                "<mailet match=\"HostIs=" + SECOND_CA_DOMAIN + "\" class=\"RemoteDelivery\">"
                        + "<outgoing>outgoing-" + SECOND_CA_DOMAIN + "</outgoing>"
                        + "<delayTime>5000, 100000, 500000</delayTime><maxRetries>3</maxRetries>"
                        + "<maxDnsProblemRetries>0</maxDnsProblemRetries><sendpartial>true</sendpartial>"
                        + "<bounceProcessor>bounces</bounceProcessor>"
                        + "<gateway>127.0.0.1</gateway><gatewayPort>" + gatewayPort + "</gatewayPort></mailet>\n"
                        + shipped);
    }

    /** Stops every part, the last started first; a secret found in a James's logs fails here. */
    @Override
    public void close() throws Exception {
        EnrolmentChain.closeAll(started);
    }

    /**
     * One test CA and the CA-role James in front of it: the James signs the CA's challenge mails as
     * {@code domain} and forwards the results to the CA's HTTPS result endpoint, trusting its root.
     *
     * @param stats the test CA's management {@code /stats}
     */
    record CaSide(TestCaProcess ca, CaJamesProcess james, URI stats) implements AutoCloseable {
        /** conf/ca's challenge signing selector, kept; only the key and the domain change. */
        static final String SELECTOR = "acme-sample";

        static CaSide start(Path work, String domain, Path dkimKey, String eabKey, String dnsServer, int gatewayPort)
                throws Exception {
            int acmePort = FreePorts.tcp();
            int managementPort = FreePorts.tcp();
            CaJamesProcess james = CaJamesProcess.prepare("native", "https://localhost:" + acmePort + "/acme/mail-result");
            try {
                james.asDomain(domain, dkimKey);
                TestCaProcess ca = TestCaProcess.start(Map.of("http.port", Integer.toString(acmePort), "tls", "true",
                        "management.port", Integer.toString(managementPort),
                        "smtp.port", Integer.toString(james.smtpPort), "challenge.from", "acme@" + domain,
                        "forward.hmacKeyFile", james.conf().resolve("acme-smime-forward.secret").toString(),
                        "eab", "required", "eab.key." + EnrolmentChain.KID, eabKey));
                try {
                    james.wire(dnsServer, gatewayPort, EnrolmentChain.trustStoreSettings(work, ca.rootPem()));
                    james.startJames();
                    return new CaSide(ca, james, URI.create("http://127.0.0.1:" + managementPort + "/stats"));
                } catch (Exception | AssertionError e) {
                    ca.close();
                    throw e;
                }
            } catch (Exception | AssertionError e) {
                try {
                    james.close();
                } catch (Exception | AssertionError notStarted) { // stopping a James that never started
                    e.addSuppressed(notStarted);
                }
                throw e;
            }
        }

        /** Orders this test CA has created since it started. */
        long orders() throws Exception {
            return EnrolmentChain.ordersAt(stats);
        }

        /** Stops the CA James, then the test CA. */
        @Override
        public void close() throws Exception {
            try {
                james.close();
            } finally {
                ca.close();
            }
        }
    }
}
