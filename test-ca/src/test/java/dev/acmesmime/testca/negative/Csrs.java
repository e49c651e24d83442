package dev.acmesmime.testca.negative;

import java.security.KeyPair;
import java.util.Base64;
import java.util.List;

import org.bouncycastle.asn1.x509.KeyUsage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.acme.SmimeCsr;

/** Finalize CSRs (RFC 8555 §7.4) with chosen rfc822Name SANs, made with BouncyCastle. */
public final class Csrs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Csrs() {
    }

    /** A DER CSR for {@code addresses} (one rfc822Name each), signed by {@code key} (P-256), built by core. */
    public static byte[] of(KeyPair key, String... addresses) {
        return SmimeCsr.of(key, "SHA256withECDSA", KeyUsage.digitalSignature, List.of(addresses));
    }

    /** The finalize payload {@code {"csr": base64url(DER)}}. */
    public static ObjectNode finalizePayload(byte[] der) {
        return JSON.createObjectNode().put("csr", Base64.getUrlEncoder().withoutPadding().encodeToString(der));
    }
}
