package dev.acmesmime.testca.negative;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.util.Base64;

import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Finalize CSRs (RFC 8555 §7.4) with chosen rfc822Name SANs, made with BouncyCastle. */
public final class Csrs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Csrs() {
    }

    /** A DER CSR for {@code addresses} (one rfc822Name each), signed by {@code key} (P-256). */
    public static byte[] of(KeyPair key, String... addresses) {
        GeneralName[] names = new GeneralName[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            names[i] = new GeneralName(GeneralName.rfc822Name, addresses[i]);
        }
        try {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + addresses[0]), key.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())).getEncoded();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The finalize payload {@code {"csr": base64url(DER)}}. */
    public static ObjectNode finalizePayload(byte[] der) {
        return JSON.createObjectNode().put("csr", Base64.getUrlEncoder().withoutPadding().encodeToString(der));
    }
}
