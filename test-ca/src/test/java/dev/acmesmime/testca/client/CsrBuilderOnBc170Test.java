package dev.acmesmime.testca.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.util.CSRBuilder;

/**
 * What issue 15 needs to know about CSRs on James's BouncyCastle line (jdk15on 1.70): acme4j's
 * {@link CSRBuilder} runs on it, but it only writes DNS and IP SANs, so it cannot make an S/MIME CSR;
 * {@link Csrs} (plain BC 1.70) writes the rfc822Name SAN and the KU/EKU request the test CA issues from.
 */
class CsrBuilderOnBc170Test {

    @Test
    void acme4jCsrBuilderSignsOnBc170ForADnsName() throws Exception {
        KeyPair key = Keys.ec256();
        CSRBuilder builder = new CSRBuilder();
        builder.addDomain("example.org");
        builder.sign(key);
        PKCS10CertificationRequest csr = builder.getCSR();
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key.getPublic()))).isTrue();
        GeneralName[] sans = GeneralNames.fromExtensions(requested(csr), Extension.subjectAlternativeName).getNames();
        assertThat(sans).extracting(GeneralName::getTagNo).containsExactly(GeneralName.dNSName);
    }

    @Test
    void acme4jCsrBuilderCannotCarryAnEmailIdentifier() {
        CSRBuilder builder = new CSRBuilder();
        assertThatThrownBy(() -> builder.addIdentifier(Enrolment.email("alice@example.org")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("email");
    }

    @Test
    void csrsWritesAnRfc822NameSanAndEmailProtectionRequest() throws Exception {
        KeyPair key = Keys.ec256();
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(Csrs.smime(key, "alice@example.org"));
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key.getPublic()))).isTrue();
        Extensions requested = requested(csr);
        GeneralName[] sans = GeneralNames.fromExtensions(requested, Extension.subjectAlternativeName).getNames();
        assertThat(sans).hasSize(1);
        assertThat(sans[0].getTagNo()).isEqualTo(GeneralName.rfc822Name);
        assertThat(sans[0].getName().toString()).isEqualTo("alice@example.org");
        assertThat(ExtendedKeyUsage.fromExtensions(requested).hasKeyPurposeId(KeyPurposeId.id_kp_emailProtection))
                .isTrue();
    }

    private static Extensions requested(PKCS10CertificationRequest csr) {
        return Extensions.getInstance(csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)[0]
                .getAttrValues().getObjectAt(0));
    }
}
