package dev.acmesmime.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Unit tests for {@link SmimeCsr} and {@link Keys}: the S/MIME CSR for each key type and key usage choice. */
class SmimeCsrTest {

    @ParameterizedTest
    @CsvSource({
        "RSA_2048,BOTH,digitalSignature+keyEncipherment", "RSA_3072,SIGNING,digitalSignature",
        "RSA_2048,ENCRYPTION,keyEncipherment", "EC_P256,BOTH,digitalSignature+keyAgreement",
        "EC_P384,SIGNING,digitalSignature", "EC_P256,ENCRYPTION,keyAgreement"})
    void theCsrCarriesTheMailboxKeyUsageAndEmailProtection(KeyType type, KeyUsageChoice usage, String bits)
            throws Exception {
        KeyPair key = Keys.generate(type);

        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(SmimeCsr.of(key, usage, "alice@org.test"));

        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key.getPublic()))).isTrue();
        assertThat(csr.getSignatureAlgorithm().getAlgorithm().getId())
                .isEqualTo(type == KeyType.EC_P384 ? "1.2.840.10045.4.3.3" : type.isRsa()
                        ? "1.2.840.113549.1.1.11" : "1.2.840.10045.4.3.2");
        assertThat(csr.getSubject().getRDNs()).isEmpty();
        Extensions requested = Extensions.getInstance(
                csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0].getAttrValues().getObjectAt(0));
        GeneralName[] sans = GeneralNames.fromExtensions(requested, Extension.subjectAlternativeName).getNames();
        assertThat(sans).extracting(GeneralName::getTagNo).containsExactly(GeneralName.rfc822Name);
        assertThat(sans[0].getName().toString()).isEqualTo("alice@org.test");
        assertThat(requested.getExtension(Extension.keyUsage).isCritical()).isTrue();
        assertThat(KeyUsage.fromExtensions(requested).getBytes()).isEqualTo(new KeyUsage(bits(bits)).getBytes());
        assertThat(ExtendedKeyUsage.fromExtensions(requested).getUsages())
                .containsExactly(KeyPurposeId.id_kp_emailProtection);
    }

    private static int bits(String names) {
        int bits = 0;
        for (String name : names.split("\\+")) {
            bits |= name.equals("digitalSignature") ? KeyUsage.digitalSignature
                    : name.equals("keyEncipherment") ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement;
        }
        return bits;
    }

    @ParameterizedTest
    @EnumSource(KeyType.class)
    void keysAreOfTheirType(KeyType type) {
        assertThat(KeyType.of(Keys.generate(type).getPublic())).isEqualTo(type);
    }

    @Test
    void theAccountKeyIsP256() {
        assertThat(KeyType.of(Keys.account().getPublic())).isEqualTo(KeyType.EC_P256);
    }

    @Test
    void aKeyOfAnotherSizeHasNoType() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPair small = rsa.generateKeyPair();
        assertThatThrownBy(() -> SmimeCsr.of(small, KeyUsageChoice.BOTH, "alice@org.test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an RSA 2048/3072 or EC P-256/P-384 key: RSA 1024 bits");
    }
}
