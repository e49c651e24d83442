package dev.acmesmime.deploy;

import static dev.acmesmime.deploy.OrgEnrolments.password;
import static dev.acmesmime.testing.WebAdminClient.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.subethamail.wiser.WiserMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.acmesmime.testing.ConfFiles;
import dev.acmesmime.testing.MailboxCertificates;
import dev.acmesmime.testing.TempDirs;
import dev.acmesmime.testing.WebAdminClient;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * Issue 16 §1–2 on real processes: the S/MIME gateway of an organisation James from conf/org, whose
 * mailboxes alice and bob enrolled over RFC 8823 ({@link EnrolmentChain}: test CA, CA-role James,
 * organisation James). Everything the gateway sends is checked with OpenSSL 3, an implementation
 * independent of BouncyCastle. The organisation's copy of conf/org trusts no loopback client to relay
 * (as the Internet is trusted) and has decryption turned on; correspondents at partner.example sign
 * with a test root given as {@code gateway.trustAnchors}; mail for partner domains ends at the chain's
 * {@link MailHop}. Last, an admin revokes alice's certificate and her mail is no longer signed (G2).
 */
@Timeout(900) // hang guard only
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayProcessTest {
    static final String ALICE = "alice@" + OrgRoleProcess.DOMAIN;
    static final String BOB = "bob@" + OrgRoleProcess.DOMAIN;
    static final String CAROL = "carol@partner.example";
    /** SmimeEncrypt's held repository (file://var/mail/smime-held/) as WebAdmin names it. */
    static final String HELD = "var/mail/smime-held";
    static final String P12_PASSWORD = "Bob's export passphrase 7";
    static final ObjectMapper JSON = new ObjectMapper();

    EnrolmentChain chain;
    Path work;
    OpensslCli openssl;
    SubmissionAndInbox client;
    WebAdminClient webAdmin;
    Correspondent carol;
    Correspondent erin;
    Path partnerRoot;

    @BeforeAll
    void start() throws Exception {
        work = Files.createTempDirectory("acme-smime-gateway");
        openssl = new OpensslCli(work);
        MailboxCertificates partner = new MailboxCertificates("Partner S/MIME Root");
        partnerRoot = Files.writeString(work.resolve("partner-root.pem"), Correspondent.pem(partner.root()));
        carol = Correspondent.of(partner, CAROL, "carol", work);
        erin = Correspondent.of(new MailboxCertificates("Rogue Root"), "erin@partner.example", "erin", work);
        chain = EnrolmentChain.start(Map.of(), Map.of("gateway.trustAnchors", partnerRoot.toString()),
                GatewayProcessTest::internetLikeWithDecryption);
        chain.hop.endsHereFor("partner.example");
        chain.hop.endsHereFor("partner2.example");
        chain.org.noteSecret("PKCS#12 password", P12_PASSWORD);
        chain.createUser(ALICE);
        chain.createUser(BOB);
        chain.awaitStep(ALICE, "issued");
        chain.awaitStep(BOB, "issued");
        client = new SubmissionAndInbox(chain.org.smtpPort, chain.org.imapPort);
        webAdmin = chain.webAdmin();
    }

    /** Loopback clients are not trusted to relay, as on the Internet; SmimeDecrypt's block is uncommented. */
    static void internetLikeWithDecryption(Path conf, Path home) throws IOException {
        ConfFiles.replaceOnce(conf.resolve("smtpserver.xml"), "<authorizedAddresses>127.0.0.0/8</authorizedAddresses>",
                "<authorizedAddresses>192.0.2.0/24</authorizedAddresses>");
        ConfFiles.replaceOnce(conf.resolve("mailetcontainer.xml"),
                "Only for mail from outside: the incoming matcher, as in transport.", "-->");
        ConfFiles.replaceOnce(conf.resolve("mailetcontainer.xml"), "            </mailet>\n            -->\n",
                "            </mailet>\n");
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (chain != null) {
                assertThat(chain.org.log()).doesNotContain("Exception calling dev.acmesmime")
                        .doesNotContain("Encountered error while executing mailet dev.acmesmime");
                chain.close(); // the organisation James checks first that no key or secret reached its logs
            }
        } finally {
            TempDirs.delete(work);
        }
    }

    /** A mail of about 10 KB of text. */
    static byte[] tenKb(String from, String to, String messageId, String subject) {
        return SubmissionAndInbox.textMail(from, to, messageId, subject, 10_240);
    }

    void policy(String scope, String json) throws Exception {
        Http put = webAdmin.put("/acme-smime/gateway/policies/" + scope, json);
        assertThat(put.status()).as("PUT policies/%s: %s", scope, put.body()).isIn(200, 204);
    }

    Path save(String name, byte[] raw) throws Exception {
        return Files.write(work.resolve(name), raw);
    }

    static String text(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    /** Bob's key and certificate, as an admin exports them over WebAdmin and OpenSSL opens them. */
    void exportBobsKey() throws Exception {
        if (Files.exists(work.resolve("bob.key"))) {
            return;
        }
        HttpResponse<byte[]> p12 = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + webAdmin.port() + "/acme-smime/enrolments/" + BOB + "/pkcs12"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"password\":\"" + P12_PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(p12.statusCode()).as(text(p12.body())).isEqualTo(200);
        save("bob.p12", p12.body());
        String pass = "pass:" + P12_PASSWORD;
        assertThat(openssl.ok("pkcs12", "-info", "-noout", "-in", "bob.p12", "-passin", pass)).contains("PBKDF2");
        openssl.ok("pkcs12", "-in", "bob.p12", "-passin", pass, "-nocerts", "-nodes", "-out", "bob.key");
        openssl.ok("pkcs12", "-in", "bob.p12", "-passin", pass, "-clcerts", "-nokeys", "-out", "bob.crt");
    }

    @Test
    @Order(1)
    void g4_aliceAuthenticatedToBob_arrivesSigned_andOpenSslVerifiesItAgainstTheTestCaRoot() throws Exception {
        policy("org.example", "{\"sign\":\"sign\",\"encrypt\":\"off\"}");
        client.submit(ALICE, password(ALICE), ALICE, BOB, tenKb(ALICE, BOB, "<g1@org.example>", "Signed only"));

        byte[] arrived = client.awaitMessage(BOB, password(BOB), "<g1@org.example>");

        assertThat(text(arrived)).contains("X-Acme-Smime-Gateway: sign signed").contains("multipart/signed")
                .contains("X-Acme-Smime-Gateway: encrypt policy-off");
        save("g1.eml", arrived);
        openssl.ok("cms", "-verify", "-in", "g1.eml", "-CAfile", chain.ca.rootPem().toString(), "-out", "g1.txt");
        assertThat(Files.readString(work.resolve("g1.txt"))).contains("Line 99 of the quarterly figures");
    }

    @Test
    @Order(2)
    void g7_withBobsCertificateKnown_itIsAlsoEncrypted_andBobsExportedKeyOpensIt() throws Exception {
        policy("org.example", "{\"sign\":\"sign\",\"encrypt\":\"opportunistic\"}");
        client.submit(ALICE, password(ALICE), ALICE, BOB, tenKb(ALICE, BOB, "<g2@org.example>", "Signed and sealed"));

        byte[] arrived = client.awaitMessage(BOB, password(BOB), "<g2@org.example>");

        assertThat(text(arrived)).contains("application/pkcs7-mime").doesNotContain("quarterly figures")
                .contains("X-Acme-Smime-Gateway: encrypt encrypted; encrypted to 2 certificate(s)");
        save("g2.eml", arrived);
        exportBobsKey();
        openssl.ok("cms", "-decrypt", "-in", "g2.eml", "-inkey", "bob.key", "-recip", "bob.crt", "-out", "g2-inner.eml");
        openssl.ok("cms", "-verify", "-in", "g2-inner.eml", "-CAfile", chain.ca.rootPem().toString(), "-out", "g2.txt");
        assertThat(Files.readString(work.resolve("g2.txt"))).contains("Line 99 of the quarterly figures");
    }

    @Test
    @Order(3)
    void g1_mailFromAliceIsNotSignedWithoutHerAuthentication() throws Exception {
        client.submit(null, null, ALICE, BOB, tenKb(ALICE, BOB, "<g3a@org.example>", "Not authenticated"));
        client.submit(BOB, password(BOB), ALICE, BOB, tenKb(ALICE, BOB, "<g3b@org.example>", "Authenticated as bob"));

        byte[] anonymous = client.awaitMessage(BOB, password(BOB), "<g3a@org.example>");
        byte[] asBob = client.awaitMessage(BOB, password(BOB), "<g3b@org.example>");

        // from outside: never offered to SmimeSign (not relay-allowed), so neither signed nor marked signed
        assertThat(text(anonymous)).doesNotContain("sign signed").doesNotContain("multipart/signed")
                .contains("Content-Type: text/plain");
        assertThat(text(asBob)).contains(
                "X-Acme-Smime-Gateway: sign sender-not-authenticated; the SMTP-authenticated user is not the From mailbox");
        save("g3b.eml", asBob); // encrypted to bob (opportunistic): open it to see the content is not signed
        exportBobsKey();
        openssl.ok("cms", "-decrypt", "-in", "g3b.eml", "-inkey", "bob.key", "-recip", "bob.crt", "-out", "g3b-inner.eml");
        assertThat(Files.readString(work.resolve("g3b-inner.eml"))).contains("Content-Type: text/plain")
                .doesNotContain("multipart/signed");
    }

    @Test
    @Order(4)
    void g6_aCorrespondentsTrustedSignature_teachesTheGatewayTheirCertificate_andAliceToCarolIsEncrypted()
            throws Exception {
        client.submit(null, null, CAROL, ALICE, carol.signedMail(openssl, CAROL, ALICE, "Hello", "<c1@partner.example>"));
        assertThat(text(client.awaitMessage(ALICE, password(ALICE), "<c1@partner.example>")))
                .contains("X-Acme-Smime-Gateway: harvest harvested");
        String pem = webAdmin.getOk("/acme-smime/certificates/" + CAROL);
        assertThat(TrustedHttp.certificates(pem).get(0)).isEqualTo(carol.issued().leaf());

        policy("partner.example", "{\"encrypt\":\"opportunistic\"}");
        client.submit(ALICE, password(ALICE), ALICE, CAROL, tenKb(ALICE, CAROL, "<g4@org.example>", "For Carol"));
        WiserMessage out = await().atMost(Duration.ofMinutes(1))
                .until(() -> chain.hop.kept(CAROL, "<g4@org.example>"), m -> m != null);

        save("g4.eml", out.getData());
        assertThat(text(out.getData())).contains("application/pkcs7-mime").doesNotContain("quarterly figures");
        openssl.ok("cms", "-decrypt", "-in", "g4.eml", "-inkey", carol.key().toString(), "-recip", carol.cert().toString(),
                "-out", "g4-inner.eml");
        openssl.ok("cms", "-verify", "-in", "g4-inner.eml", "-CAfile", chain.ca.rootPem().toString(), "-out", "g4.txt");
        assertThat(Files.readString(work.resolve("g4.txt"))).contains("Line 99 of the quarterly figures");
    }

    @Test
    @Order(5)
    void g6_aSignatureNotMatchingFrom_orFromAnUntrustedRoot_storesNothing() throws Exception {
        client.submit(null, null, "dave@partner.example", ALICE,
                carol.signedMail(openssl, "dave@partner.example", ALICE, "Not Carol", "<d1@partner.example>"));
        client.submit(null, null, erin.address(), ALICE,
                erin.signedMail(openssl, erin.address(), ALICE, "Rogue", "<e1@partner.example>"));

        assertThat(text(client.awaitMessage(ALICE, password(ALICE), "<d1@partner.example>")))
                .contains("X-Acme-Smime-Gateway: harvest address-mismatch");
        assertThat(text(client.awaitMessage(ALICE, password(ALICE), "<e1@partner.example>")))
                .contains("X-Acme-Smime-Gateway: harvest untrusted");
        assertThat(webAdmin.get("/acme-smime/certificates/dave@partner.example").status()).isEqualTo(404);
        assertThat(webAdmin.get("/acme-smime/certificates/" + erin.address()).status()).isEqualTo(404);
    }

    @Test
    @Order(6)
    void g8_requiredEncryptionWithoutACertificate_holdsTheMail_andTellsAlice() throws Exception {
        policy("partner2.example", "{\"encrypt\":\"required\"}");
        client.submit(ALICE, password(ALICE), ALICE, "x@partner2.example",
                tenKb(ALICE, "x@partner2.example", "<g6@org.example>", "Must be sealed"));

        JsonNode keys = await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> JSON.readTree(
                webAdmin.getOk("/mailRepositories/" + segment(HELD) + "/mails")), k -> k.size() == 1);
        String held = webAdmin.getOk("/mailRepositories/" + segment(HELD) + "/mails/" + segment(keys.get(0).asText()));
        assertThat(held).contains("x@partner2.example");
        String notice = await().atMost(Duration.ofMinutes(1)).ignoreExceptions().until(() -> client.inbox(ALICE,
                password(ALICE)).values().stream().map(GatewayProcessTest::text)
                .filter(m -> m.contains("Not sent: encryption required for x@partner2.example")).findFirst().orElse(null),
                m -> m != null);
        assertThat(notice).contains("Auto-Submitted: auto-generated");
        assertThat(chain.hop.kept("x@partner2.example", "<g6@org.example>")).as("nothing left for x").isNull();
    }

    @Test
    @Order(7)
    void g9_aMailOpenSslEncryptedToBob_isDeliveredDecrypted() throws Exception {
        Files.writeString(work.resolve("g7.txt"), "Content-Type: text/plain; charset=US-ASCII\r\n\r\nFor Bob only.\r\n");
        Files.writeString(work.resolve("bob-published.crt"), webAdmin.getOk("/acme-smime/certificates/" + BOB));
        openssl.ok("cms", "-encrypt", "-aes256", "-in", "g7.txt", "-from", CAROL, "-to", BOB, "-subject", "Sealed for Bob",
                "-out", "g7.eml", "bob-published.crt");
        client.submit(null, null, CAROL, BOB, Correspondent.withMessageId(Files.readAllBytes(work.resolve("g7.eml")),
                "<g7@partner.example>"));

        String arrived = text(client.awaitMessage(BOB, password(BOB), "<g7@partner.example>"));

        assertThat(arrived).contains("X-Acme-Smime-Gateway: decrypt decrypted").contains("For Bob only.")
                .doesNotContain("pkcs7-mime");
    }

    @Test
    @Order(8)
    void g2_onceAnAdminRevokedAlicesCertificate_herMailIsNoLongerSigned() throws Exception {
        Http revoke = webAdmin.post("/acme-smime/enrolments/" + ALICE + "/revoke", null);
        assertThat(revoke.status()).as(revoke.body()).isEqualTo(200);
        client.submit(ALICE, password(ALICE), ALICE, BOB, tenKb(ALICE, BOB, "<g8@org.example>", "After revocation"));

        String arrived = text(client.awaitMessage(BOB, password(BOB), "<g8@org.example>"));

        assertThat(arrived).contains("X-Acme-Smime-Gateway: sign no-certificate")
                .contains("X-Acme-Smime-Gateway: encrypt encrypted; encrypted to 1 certificate(s)"); // bob's only
        assertThat(webAdmin.get("/acme-smime/certificates/" + ALICE).status()).isEqualTo(404);
    }

    @Test
    @Order(9)
    void everyDecisionAboveIsCountedInJamesMetrics() throws Exception {
        String metrics = webAdmin.getOk("/metrics");

        assertThat(metrics).contains("acme_smime_gateway_sign_signed_total", "acme_smime_gateway_sign_sender_not_authenticated_total",
                "acme_smime_gateway_sign_no_certificate_total",
                "acme_smime_gateway_encrypt_encrypted_total", "acme_smime_gateway_encrypt_no_recipient_certificate_total",
                "acme_smime_gateway_harvest_harvested_total", "acme_smime_gateway_harvest_untrusted_total",
                "acme_smime_gateway_decrypt_decrypted_total", "acme_smime_gateway_pkcs12_exported_total");
    }
}
