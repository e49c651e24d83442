package dev.acmesmime.testca.pki;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;

/**
 * The ACME port's TLS certificate, issued directly by the root: the intermediate carries extended key usage
 * emailProtection only, and OpenSSL-based clients refuse a serverAuth chain through such a CA. So the chain a
 * client needs is the leaf alone: a client trusting {@code root.pem} validates it, and one trusting
 * {@code tls.pem} (the leaf) trusts it directly. SANs: dNSName for names, iPAddress for IP literals; extended
 * key usage serverAuth; EC P-256; valid one year. The key lives only in the returned {@link SSLContext}.
 */
final class TlsIssuer {
    private static final Duration LIFETIME = Duration.ofDays(365);

    private TlsIssuer() {
    }

    static TlsIdentity issue(List<String> hosts, Instant now, X509Certificate root, PrivateKey rootKey) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("a TLS certificate needs at least one host");
        }
        KeyPair key = Certificates.ecKey("secp256r1");
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(root, Certificates.serial(),
                Date.from(now.minus(CertificateAuthority.BACKDATE)), Date.from(now.plus(LIFETIME)),
                new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "TEST ONLY - NOT TRUSTED")
                        .addRDN(BCStyle.CN, hosts.get(0).strip()).build(), key.getPublic());
        GeneralName[] names = hosts.stream().map(TlsIssuer::name).toArray(GeneralName[]::new);
        Certificates.add(b, Extension.basicConstraints, true, new BasicConstraints(false));
        Certificates.add(b, Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        Certificates.add(b, Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        Certificates.add(b, Extension.subjectAlternativeName, false, new GeneralNames(names));
        Certificates.add(b, Extension.authorityKeyIdentifier, false, Certificates.aki(root.getPublicKey()));
        Certificates.add(b, Extension.subjectKeyIdentifier, false, Certificates.ski(key.getPublic()));
        X509Certificate leaf = Certificates.sign(b, rootKey, CertificateAuthority.CURVE);
        return new TlsIdentity(context(key.getPrivate(), leaf), Pem.of(List.of(leaf)));
    }

    /** An IP literal (IPv4 dotted, IPv6 with colons, optionally bracketed) or a DNS name. */
    private static GeneralName name(String host) {
        String h = host.strip();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        boolean ip = h.contains(":") || h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        return new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, h);
    }

    private static SSLContext context(PrivateKey key, X509Certificate leaf) {
        try {
            // an in-memory store only: the password protects nothing on disk, so a fixed one is enough
            char[] password = "in-memory".toCharArray();
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("tls", key, password, new Certificate[] {leaf});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the TLS context", e);
        }
    }
}
