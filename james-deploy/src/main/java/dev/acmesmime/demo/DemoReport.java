package dev.acmesmime.demo;

import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What the demo leaves in its work folder and prints once every mailbox has its certificate: each
 * chain as PEM ({@code certs/<mailbox>.pem}, leaf first) with its SAN, issuer, serial and validity; the
 * test CA's root ({@code certs/test-ca-root.pem}), so that anyone can run {@code openssl verify}; each
 * validation's audit and evidence records as the CA-role James exports them ({@code audit/<mailbox>.jsonl})
 * and the response mail it validated ({@code mails/<mailbox>-response.eml}).
 */
final class DemoReport {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work;
    private final PrintStream out;

    DemoReport(Path work, PrintStream out) {
        this.work = work;
        this.out = out;
    }

    /** Saves and prints each mailbox's chain; copies the test CA's root. */
    void certificates(DemoHttp org, List<String> mailboxes, Path testCaRoot) throws Exception {
        Path certs = Files.createDirectories(work.resolve("certs"));
        Files.copy(testCaRoot, certs.resolve("test-ca-root.pem"));
        out.println();
        out.println("Certificates (chains in " + certs + ", the test CA's root in " + certs.resolve("test-ca-root.pem") + "):");
        for (String mailbox : mailboxes) {
            String pem = org.text("/acme-smime/enrolments/" + mailbox + "/certificate");
            Files.writeString(certs.resolve(mailbox + ".pem"), pem);
            X509Certificate leaf = leaf(pem);
            out.println("  " + mailbox);
            out.println("    SAN:      " + sans(leaf));
            out.println("    issuer:   " + leaf.getIssuerX500Principal().getName());
            out.println("    serial:   " + leaf.getSerialNumber().toString(16));
            out.println("    validity: " + leaf.getNotBefore().toInstant() + " .. " + leaf.getNotAfter().toInstant());
        }
    }

    /** Saves each mailbox's audit export and validated response mail; prints where, and how to query them. */
    void audit(DemoHttp ca, List<String> mailboxes, Path caHome) throws Exception {
        Path audit = Files.createDirectories(work.resolve("audit"));
        Path mails = Files.createDirectories(work.resolve("mails"));
        out.println();
        out.println("Audit: each validation is recorded by the CA-role James (S/MIME BR 5.4), in its store under "
                + caHome.resolve("var/acme-smime"));
        for (String mailbox : mailboxes) {
            String export = ca.text("/acme-smime/audit/export?address=" + mailbox);
            Files.writeString(audit.resolve(mailbox + ".jsonl"), export);
            List<String> ids = new ArrayList<>();
            for (String line : export.split("\n")) {
                JsonNode n = line.isBlank() ? JSON.missingNode() : JSON.readTree(line);
                if ("audit".equals(n.path("type").asText())) {
                    ids.add(n.path("event").asText() + " (#" + n.path("id").asText() + ")");
                } else if (n.path("record").has("raw")) {
                    Files.write(mails.resolve(mailbox + "-response.eml"), Base64.getDecoder().decode(n.path("record").path("raw").asText()));
                }
            }
            out.println("  " + mailbox + ": audit records " + String.join(", ", ids) + " -> " + audit.resolve(mailbox + ".jsonl"));
        }
        out.println("  query them (while the CA James runs):  curl '" + ca.base() + "/acme-smime/audit?address="
                + mailboxes.get(0) + "'");
        out.println("  with the evidence (raw mail, DKIM, checks):  curl '" + ca.base() + "/acme-smime/audit/export?address="
                + mailboxes.get(0) + "'");
    }

    /** The first certificate of a PEM chain: the leaf, or the root of a root file. */
    static X509Certificate leaf(String pem) throws CertificateException {
        Collection<? extends java.security.cert.Certificate> chain = CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        return (X509Certificate) chain.iterator().next();
    }

    private static String sans(X509Certificate c) throws CertificateException {
        List<String> names = new ArrayList<>();
        Collection<List<?>> all = c.getSubjectAlternativeNames();
        if (all != null) {
            for (List<?> san : all) {
                names.add((Integer.valueOf(1).equals(san.get(0)) ? "email:" : "type " + san.get(0) + ":") + san.get(1));
            }
        }
        return String.join(", ", names);
    }

    /** "What just happened", and three commands worth trying next ({@code running}: everything still runs). */
    void explain(DemoPorts ports, String mailbox, boolean running) {
        out.println();
        out.println("What just happened:");
        out.println("  org.test's James saw two new users and, with nothing else asked of anyone, ordered an S/MIME");
        out.println("  certificate for each from the test CA (ACME, RFC 8555, with External Account Binding). The test CA");
        out.println("  sent a challenge mail through ca.test's James, which DKIM-signed it. org.test's James checked the");
        out.println("  signature against ca.test's key in DNS, answered with a DKIM-signed response (RFC 8823) that never");
        out.println("  reached the user's inbox, and told the CA it was ready. ca.test's James checked the response against");
        out.println("  org.test's key in DNS, recorded the evidence, and forwarded the result to the test CA over HTTPS,");
        out.println("  HMAC-signed. The CA compared the digest and issued; org.test's James stored the certificate and key.");
        out.println("  Then alice sent bob a mail. Seeing her logged in as its From mailbox, org.test's James signed it with");
        out.println("  her certificate and encrypted it to bob's and hers: no user installed a key anywhere.");
        out.println();
        out.println(running ? "Try next:" : "Try next (run the demo with --keep to do it while everything runs):");
        out.println("  inspect a mail:    james-deploy/bin/acme-smime inspect " + work.resolve("mails/" + mailbox + "-response.eml")
                + " --as response --dns-server 127.0.0.1:" + ports.dns());
        out.println("  enrolment status:  curl 'http://127.0.0.1:" + ports.orgWebAdmin() + "/acme-smime/enrolments?domain="
                + DemoConf.ORG_DOMAIN + "'");
        out.println("  query the audit:   curl 'http://127.0.0.1:" + ports.caWebAdmin() + "/acme-smime/audit?address=" + mailbox + "'");
    }
}
