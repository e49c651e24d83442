package dev.acmesmime.testca.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root, the intermediate and an issued S/MIME certificate, validated by the JDK and by OpenSSL. */
class CertificateAuthorityTest {
    private static final CertificateAuthority CA = CertificateAuthority.generate(Clock.systemUTC());
    private static final Set<String> ORDER = Set.of("alice@example.test", "alice@other.test");

    @Test
    void issuedChainValidatesWithThePkixValidator() throws Exception {
        IssuedCertificate issued = issue(Csrs.ec("secp256r1"));
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(issued.chain());
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(CA.root(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(path, params);
        assertThat(issued.chain()).containsExactly(issued.leaf(), CA.intermediate());
        assertThat(issued.serial()).isEqualTo(issued.leaf().getSerialNumber()).isPositive();
        assertThat(issued.serial().bitLength()).isGreaterThan(64);
    }

    @Test
    void issuedChainPassesOpensslVerifySmimesign(@TempDir Path dir) throws Exception {
        IssuedCertificate issued = issue(Csrs.rsa(2048));
        Files.writeString(dir.resolve("root.pem"), Pem.of(List.of(CA.root())));
        Files.writeString(dir.resolve("intermediate.pem"), Pem.of(List.of(CA.intermediate())));
        Files.writeString(dir.resolve("leaf.pem"), Pem.of(List.of(issued.leaf())));
        assertThat(run(dir, "openssl", "verify", "-purpose", "smimesign", "-CAfile", "root.pem", "-untrusted",
                "intermediate.pem", "leaf.pem")).isEqualTo("leaf.pem: OK\n");
    }

    /** Runs a command in {@code dir}; its output, after asserting it succeeded. */
    private static String run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    @Test
    void aCsrMadeByOpensslIsAcceptedAndIssued(@TempDir Path dir) throws Exception {
        run(dir, "openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes",
                "-keyout", "key.pem", "-subj", "/CN=alice@example.test", "-addext",
                "subjectAltName=email:alice@example.test,email:alice@OTHER.test", "-addext",
                "keyUsage=critical,digitalSignature", "-outform", "DER", "-out", "csr.der");
        CsrCheck check = CA.checkCsr(Files.readAllBytes(dir.resolve("csr.der")), ORDER);
        assertThat(check.problem()).isEmpty();
        X509Certificate leaf = CA.issue(check, Duration.ofDays(7)).leaf();
        assertThat(leaf.getKeyUsage()).startsWith(true, false, false, false, false);
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=alice@example.test");
    }

    @Test
    void pemChainParsesBackToTheChain() throws Exception {
        IssuedCertificate issued = issue(Csrs.ec("secp384r1"));
        assertThat(issued.pemChain()).startsWith("-----BEGIN CERTIFICATE-----\n")
                .endsWith("-----END CERTIFICATE-----\n").doesNotContain("\r");
        issued.pemChain().lines().filter(l -> !l.startsWith("-----"))
                .forEach(l -> assertThat(l.length()).isLessThanOrEqualTo(64));
        List<Certificate> parsed = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(issued.pemChain().getBytes(StandardCharsets.US_ASCII))));
        assertThat(parsed).isEqualTo(List.copyOf(issued.chain()));
    }

    @Test
    void leafFollowsTheMailboxValidatedStrictProfile() throws Exception {
        IssuedCertificate issued = issue(Csrs.rsa(2048));
        X509Certificate leaf = issued.leaf();
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getCriticalExtensionOIDs())
                .containsExactlyInAnyOrder(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.4");
        // digitalSignature(0) and keyEncipherment(2) for an RSA key asking for nothing
        assertThat(leaf.getKeyUsage()).startsWith(true, false, true, false, false, false, false, false);
        CertificatePolicies policies = CertificatePolicies.getInstance(extension(leaf, Extension.certificatePolicies));
        assertThat(policies.getPolicyInformation()).extracting(p -> p.getPolicyIdentifier().getId())
                .containsExactly("2.23.140.1.5.1.3");
        assertThat(leaf.getSubjectAlternativeNames()).extracting(n -> (Object) n.get(1))
                .containsExactlyInAnyOrder(ORDER.toArray());
        assertThat(leaf.getSubjectX500Principal().getName()).startsWith("CN=alice@");
        byte[] aki = AuthorityKeyIdentifier.getInstance(extension(leaf, Extension.authorityKeyIdentifier))
                .getKeyIdentifier();
        byte[] intermediateSki = SubjectKeyIdentifier.getInstance(
                extension(CA.intermediate(), Extension.subjectKeyIdentifier)).getKeyIdentifier();
        assertThat(aki).isEqualTo(intermediateSki);
        assertThat(issued.ariCertId()).isEqualTo(AriCertId.of(intermediateSki, issued.serial()));
        assertThat(Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(7).plusMinutes(1));
    }

    @Test
    void rootAndIntermediateAreMarkedTestOnlyAndUnique() {
        CertificateAuthority other = CertificateAuthority.generate(Clock.systemUTC());
        assertThat(CA.root().getSubjectX500Principal().getName()).contains("O=TEST ONLY - NOT TRUSTED")
                .contains("CN=james-acme-smime test CA root ");
        assertThat(other.root().getSubjectX500Principal()).isNotEqualTo(CA.root().getSubjectX500Principal());
        assertThat(CA.root().getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(CA.intermediate().getBasicConstraints()).isZero();
        assertThat(CA.intermediate().getIssuerX500Principal()).isEqualTo(CA.root().getSubjectX500Principal());
    }

    @Test
    void anAddressTooLongForACommonNameGivesAnEmptySubjectAndACriticalSan() throws Exception {
        String address = "a".repeat(60) + "@example.test";
        CsrCheck check = CA.checkCsr(Csrs.csr(Csrs.ec("secp256r1"), List.of(address)), Set.of(address));
        X509Certificate leaf = CA.issue(check, Duration.ofDays(1)).leaf();
        assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
        assertThat(leaf.getCriticalExtensionOIDs()).contains(Extension.subjectAlternativeName.getId());
    }

    private static byte[] extension(X509Certificate certificate, ASN1ObjectIdentifier oid) {
        return ASN1OctetString.getInstance(certificate.getExtensionValue(oid.getId())).getOctets();
    }

    private static IssuedCertificate issue(KeyPair key) throws Exception {
        CsrCheck check = CA.checkCsr(Csrs.csr(key, List.copyOf(ORDER)), ORDER);
        assertThat(check.problem()).isEmpty();
        return CA.issue(check, Duration.ofDays(7));
    }
}
