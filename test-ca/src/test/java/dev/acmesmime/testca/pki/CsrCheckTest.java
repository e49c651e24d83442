package dev.acmesmime.testca.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;

/** Each way a finalize CSR is refused, with its reason, and the key usages RFC 8823 §3.3 lets a CSR ask for. */
class CsrCheckTest {
    private static final CertificateAuthority CA = CertificateAuthority.generate(Clock.systemUTC());
    private static final Set<String> ORDER = Set.of("alice@example.test");
    private static final KeyPair EC = key("ec");
    private static final KeyPair RSA = key("rsa");

    @Test
    void anAcceptedCsrNormalisesTheDomainAndKeepsTheKey() throws Exception {
        CsrCheck check = CA.checkCsr(Csrs.csr(EC, "CN=alice@example.test", 0, Csrs.email("alice@EXAMPLE.test")),
                ORDER);
        assertThat(check.ok()).isTrue();
        assertThat(check.problem()).isEmpty();
        assertThat(check.addresses()).containsExactly("alice@example.test");
        assertThat(check.publicKey()).contains(EC.getPublic());
        assertThat(check.keyUsage()).isZero();
    }

    @Test
    void anExtraAddressIsRefusedByName() throws Exception {
        assertRefused(Csrs.csr(EC, List.of("alice@example.test", "mallory@example.test")),
                "CSR rfc822Name mallory@example.test is not an identifier of the order");
    }

    @Test
    void aMissingAddressIsRefusedByName() throws Exception {
        CsrCheck check = CA.checkCsr(Csrs.csr(EC, List.of("alice@example.test")),
                Set.of("alice@example.test", "bob@example.test"));
        assertThat(check.ok()).isFalse();
        assertThat(check.problem()).contains("CSR lacks the order's address bob@example.test as an rfc822Name");
    }

    @Test
    void aDnsNameSanIsRefused() throws Exception {
        assertRefused(Csrs.csr(EC, "", 0, Csrs.email("alice@example.test"),
                new GeneralName(GeneralName.dNSName, "example.test")),
                "CSR subjectAltName has a dNSName entry; only rfc822Name is allowed");
    }

    @Test
    void noSanIsRefused() throws Exception {
        assertRefused(Csrs.csr(EC, "CN=alice@example.test", 0),
                "CSR has no subjectAltName extension request with rfc822Name entries");
    }

    @Test
    void aCommonNameOutsideTheAddressesIsRefused() throws Exception {
        assertRefused(Csrs.csr(EC, "CN=Alice", 0, Csrs.email("alice@example.test")),
                "CSR subject CN Alice is not one of the order's addresses");
    }

    @Test
    void aBadSignatureIsRefused() throws Exception {
        byte[] der = Csrs.csr(RSA, List.of("alice@example.test"));
        der[der.length - 1] ^= 0x01;
        assertRefused(der, "CSR signature is not valid");
    }

    @Test
    void aWeakRsaKeyIsRefused() throws Exception {
        assertRefused(Csrs.csr(Csrs.rsa(1024), List.of("alice@example.test")),
                "CSR key is RSA 1024 bits; at least 2048 are needed");
    }

    @Test
    void anUnlistedCurveIsRefused() throws Exception {
        assertRefused(Csrs.csr(Csrs.ec("secp521r1"), List.of("alice@example.test")),
                "CSR key is EC on curve 1.3.132.0.35; only P-256 and P-384 are allowed");
    }

    @Test
    void garbageIsNotPkcs10() {
        assertRefused(new byte[] {0x30, 0x03, 0x02, 0x01}, "CSR is not DER PKCS#10");
        assertRefused("not a CSR".getBytes(), "CSR is not DER PKCS#10");
    }

    @Test
    void aMalformedExtensionRequestIsRefused() throws Exception {
        assertRefused(Csrs.withExtensionRequest(EC, new DERUTF8String("not extensions")),
                "CSR extension request cannot be read");
    }

    @Test
    void aCaKeyUsageIsRefused() throws Exception {
        assertRefused(Csrs.csr(EC, "", KeyUsage.digitalSignature | KeyUsage.keyCertSign,
                Csrs.email("alice@example.test")),
                "CSR asks for key usage bits an S/MIME certificate for an EC key may not carry (allowed: "
                        + "digitalSignature, nonRepudiation, keyAgreement)");
        assertRefused(Csrs.csr(EC, "", KeyUsage.keyEncipherment, Csrs.email("alice@example.test")),
                "CSR asks for key usage bits an S/MIME certificate for an EC key may not carry (allowed: "
                        + "digitalSignature, nonRepudiation, keyAgreement)");
    }

    @Test
    void signingOnlyAndEncryptionOnlyCertificatesAreIssuedAsAsked() throws Exception {
        assertThat(issuedKeyUsage(EC, KeyUsage.digitalSignature)).isEqualTo(bits(0));
        assertThat(issuedKeyUsage(EC, KeyUsage.keyAgreement)).isEqualTo(bits(4));
        assertThat(issuedKeyUsage(RSA, KeyUsage.keyEncipherment)).isEqualTo(bits(2));
        assertThat(issuedKeyUsage(EC, 0)).isEqualTo(bits(0, 4));
        assertThat(issuedKeyUsage(RSA, 0)).isEqualTo(bits(0, 2));
    }

    private static boolean[] issuedKeyUsage(KeyPair key, int asked) throws Exception {
        CsrCheck check = CA.checkCsr(Csrs.csr(key, "", asked, Csrs.email("alice@example.test")), ORDER);
        assertThat(check.problem()).isEmpty();
        assertThat(check.keyUsage()).isEqualTo(asked);
        boolean[] ku = CA.issue(check, Duration.ofDays(1)).leaf().getKeyUsage();
        boolean[] first = new boolean[9];
        System.arraycopy(ku, 0, first, 0, Math.min(9, ku.length));
        return first;
    }

    private static boolean[] bits(int... set) {
        boolean[] b = new boolean[9];
        for (int i : set) {
            b[i] = true;
        }
        return b;
    }

    private static void assertRefused(byte[] der, String problem) {
        CsrCheck check = CA.checkCsr(der, ORDER);
        assertThat(check.ok()).isFalse();
        assertThat(check.problem()).contains(problem);
        assertThat(check.publicKey()).isEmpty();
    }

    private static KeyPair key(String type) {
        try {
            return type.equals("ec") ? Csrs.ec("secp256r1") : Csrs.rsa(2048);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
