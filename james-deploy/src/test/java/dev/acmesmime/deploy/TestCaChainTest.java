package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.subethamail.wiser.WiserMessage;

import com.fasterxml.jackson.databind.JsonNode;

import dev.acmesmime.deploy.AcmeTestClient.Reply;
import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.SecretScan;
import dev.acmesmime.testing.SecretScan.Place;
import dev.acmesmime.testing.SecretScan.Secret;

/**
 * Issue 13, "the whole chain runs once in a test": the test CA ({@code bin/test-ca}, the shipped
 * settings with free ports), a CA-role James from conf/ca ({@link CaJamesProcess}: its SMTP sink as
 * the Internet, dnsmasq serving ca.example's and example.test's DKIM keys) forwarding to the test CA
 * with the same HMAC key, an RFC 8555 client ({@link AcmeTestClient}), and the user's answer made with
 * {@code bin/acme-smime respond}. The challenge turns valid and the issued certificate passes
 * {@code openssl verify -purpose smimesign} against the test CA's root.pem.
 */
@Timeout(300) // hang guard only
class TestCaChainTest {

    static final String USER = "chain@example.test";
    static final Path CLI = Path.of(System.getProperty("acme-smime.launcher", "bin/acme-smime")).toAbsolutePath();
    static final Duration WAIT = Duration.ofMinutes(2);

    static CaJamesProcess james;
    static TestCaProcess ca;

    @BeforeAll
    static void startTheChain() throws Exception {
        int acmePort = FreePorts.tcp();
        // plain HTTP on loopback: James's forwarder verifies TLS against the JDK's roots, not the test CA's
        james = CaJamesProcess.start("native", "http://127.0.0.1:" + acmePort + "/acme/mail-result");
        ca = TestCaProcess.start(Map.of("http.port", Integer.toString(acmePort), "tls", "false",
                "management.port", Integer.toString(FreePorts.tcp()), "smtp.port", Integer.toString(james.smtpPort),
                "forward.hmacKeyFile", james.conf().resolve("acme-smime-forward.secret").toString()));
        assertThat(ca.resultUrl().getPort()).isEqualTo(acmePort);
    }

    @AfterAll
    static void stopTheChain() throws Exception {
        try {
            if (ca != null) {
                ca.close();
            }
        } finally {
            if (james != null) {
                try {
                    assertThat(james.log()).doesNotContain("Exception calling dev.acmesmime")
                            .doesNotContain("Encountered error while executing mailet dev.acmesmime");
                    james.checkSecrets();
                } finally {
                    james.close();
                }
            }
        }
    }

    @Test
    void anEmailIdentifierIsValidatedThroughCaJamesAndACertificateIsIssued() throws Exception {
        AcmeTestClient acme = new AcmeTestClient(HttpClient.newHttpClient(), ca.directory());
        acme.newAccount();
        Reply order = acme.newOrder(USER);
        String authzUrl = order.json().path("authorizations").get(0).asText();
        JsonNode challenge = emailReply(acme.get(authzUrl).json());
        assertThat(challenge.path("from").asText()).isEqualTo("acme@ca.example");

        Path signedChallenge = awaitSignedChallenge();
        assertInspectJudgesItAValidChallenge(signedChallenge);
        byte[] response = respond(signedChallenge, challenge.path("token").asText(), acme.publicJwk());
        Reply posted = acme.post(challenge.path("url").asText(), Map.of());
        assertThat(posted.status()).as(posted.body()).isEqualTo(200);
        OrgJames.send(james.smtpPort, USER, to(response), response);

        JsonNode authz = acme.poll(authzUrl, a -> a.path("status").asText().equals("valid"), WAIT);
        assertThat(emailReply(authz).path("status").asText()).isEqualTo("valid");
        await().atMost(WAIT).until(() -> forwardOutcome().isPresent());
        assertThat(forwardOutcome()).as("the test CA's answer to James's forward").contains("valid");

        List<X509Certificate> chain = finalizeAndDownload(acme, order);
        assertThat(chain.get(0).getSubjectAlternativeNames()).containsExactly(List.of(1, USER));
        assertThat(chain.get(0).getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.4");
        assertOpensslVerifies(chain);
        assertTestCaLogsEachStepAndNoSecret(signedChallenge, challenge.path("token").asText());
    }

    /** The order's one email-reply-00 challenge (RFC 8823 §3): token-part2 and the From to expect. */
    private static JsonNode emailReply(JsonNode authz) {
        assertThat(authz.path("identifier").path("value").asText()).isEqualTo(USER);
        JsonNode challenges = authz.path("challenges");
        assertThat(challenges).as(authz.toString()).hasSize(1);
        assertThat(challenges.get(0).path("type").asText()).isEqualTo("email-reply-00");
        return challenges.get(0);
    }

    /** The challenge mail as it left the CA's James (DKIM-signed by AcmeChallengeSigner) for the user. */
    private static Path awaitSignedChallenge() throws Exception {
        await().atMost(WAIT).until(() -> challengeMail().isPresent());
        String mail = new String(challengeMail().get().getData(), StandardCharsets.ISO_8859_1);
        assertThat(mail).contains("DKIM-Signature:").contains("d=ca.example");
        return Files.writeString(ca.work.resolve("challenge.eml"), mail, StandardCharsets.ISO_8859_1);
    }

    private static Optional<WiserMessage> challengeMail() {
        return OrgJames.received(james.sink).stream().filter(m -> m.getEnvelopeReceiver().equals(USER)).findFirst();
    }

    /** {@code bin/acme-smime inspect}: the test CA's mail, once James signed it, is a valid challenge. */
    private static void assertInspectJudgesItAValidChallenge(Path challenge) throws Exception {
        Path out = ca.work.resolve("inspect.json");
        Process p = new ProcessBuilder(CLI.toString(), "inspect", challenge.toString(), "--as", "challenge", "--json",
                "--expect-from", "acme@ca.example", "--dns-server", james.dns.server())
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor()).as("acme-smime inspect: %s", Files.readString(out)).isZero();
        assertThat(Files.readString(out)).contains("\"kind\"").contains("challenge");
    }

    /** {@code bin/acme-smime respond}, signed with example.test's key, as the user's mail system would. */
    private static byte[] respond(Path challenge, String tokenPart2, String jwk) throws Exception {
        Path jwkFile = Files.writeString(ca.work.resolve("account.jwk"), jwk);
        Path out = ca.work.resolve("response.eml");
        Path err = ca.work.resolve("respond.err");
        Process p = new ProcessBuilder(CLI.toString(), "respond", "--challenge", challenge.toString(),
                "--token-part2", tokenPart2, "--account-jwk", jwkFile.toString(),
                "--dkim-key", james.dns.key("user").pkcs8().toString(), "--dkim-selector", CaJamesProcess.SEL,
                "--dns-server", james.dns.server()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(p.waitFor()).as("acme-smime respond: %s", Files.readString(err)).isZero();
        return Files.readAllBytes(out);
    }

    /** The response's To: where James takes responses (acme@ or acme+tag@ca.example). */
    private static String to(byte[] response) {
        List<String> to = OrgJames.headerValues(new String(response, StandardCharsets.ISO_8859_1), "To");
        assertThat(to).hasSize(1);
        return to.get(0).replaceAll(".*<(.*)>.*", "$1").strip();
    }

    /** The outcome James stored from the test CA's answer to its forward (audit {@code forward-delivered}). */
    private static Optional<String> forwardOutcome() throws Exception {
        JsonNode audit = AcmeTestClient.JSON.readTree(james.webAdmin.getOk("/acme-smime/audit?address=" + USER));
        for (JsonNode a : audit) {
            if (a.path("event").asText().equals("forward-delivered")) {
                return Optional.of(a.path("outcome").asText());
            }
        }
        return Optional.empty();
    }

    /** finalize with a CSR for exactly the order's address, then the PEM chain (RFC 8555 §7.4, §7.4.2). */
    private static List<X509Certificate> finalizeAndDownload(AcmeTestClient acme, Reply order) throws Exception {
        Reply fin = acme.post(order.json().path("finalize").asText(), Map.of("csr", csr(USER)));
        assertThat(fin.status()).as(fin.body()).isEqualTo(200);
        JsonNode valid = acme.poll(order.location(), o -> o.path("status").asText().equals("valid"), WAIT);
        Reply cert = acme.get(valid.path("certificate").asText());
        assertThat(cert.status()).as(cert.body()).isEqualTo(200);
        assertThat(cert.contentType()).startsWith("application/pem-certificate-chain");
        List<X509Certificate> chain = TrustedHttp.certificates(cert.body());
        assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
        return chain;
    }

    private static String csr(String address) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = g.generateKeyPair();
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.rfc822Name, address)));
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + address), key.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(der);
    }

    /**
     * The test CA logged the protocol steps, and neither the HMAC key it shares with James nor token-part1
     * and token-part2 together (the key authorization's secret half).
     */
    private static void assertTestCaLogsEachStepAndNoSecret(Path challengeMail, String tokenPart2) throws Exception {
        String subject = OrgJames.headerValues(Files.readString(challengeMail, StandardCharsets.ISO_8859_1), "Subject")
                .get(0);
        String tokenPart1 = subject.replaceFirst("^ACME:\\s*", "").strip();
        assertThat(tokenPart1).as(subject).matches("[A-Za-z0-9_-]{22,}");
        String log = ca.output();
        assertThat(log).contains("newAccount account=").contains("newOrder account=").contains("finalize account=");
        SecretScan.of(Secret.file("forward HMAC key", james.conf().resolve("acme-smime-forward.secret")),
                Secret.value("token-part1 + token-part2", tokenPart1 + tokenPart2))
                .check(List.of(Place.text("bin/test-ca output", log)));
    }

    /** {@code openssl verify -purpose smimesign -CAfile root.pem -untrusted <intermediates> leaf}. */
    private static void assertOpensslVerifies(List<X509Certificate> chain) throws Exception {
        Path leaf = Files.writeString(ca.work.resolve("leaf.pem"), pem(chain.subList(0, 1)));
        Path intermediates = Files.writeString(ca.work.resolve("intermediates.pem"),
                pem(chain.subList(1, chain.size())));
        Process p = new ProcessBuilder("openssl", "verify", "-purpose", "smimesign", "-CAfile", ca.rootPem().toString(),
                "-untrusted", intermediates.toString(), leaf.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains(": OK");
    }

    private static String pem(List<X509Certificate> certs) throws Exception {
        StringBuilder sb = new StringBuilder();
        Base64.Encoder b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate c : certs) {
            sb.append("-----BEGIN CERTIFICATE-----\n").append(b64.encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        return sb.toString();
    }
}
