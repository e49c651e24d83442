package dev.acmesmime.demo;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

import dev.acmesmime.dkim.DkimKeyGenerator;
import dev.acmesmime.dkim.DkimKeys;
import dev.acmesmime.gateway.SigningIdentity;

/**
 * The fresh keys and secrets of one demo run, all written into its work folder: DKIM keys (RSA 2048,
 * PKCS#8 PEM) with their DNS records, the HMAC keys (forward results, External Account Binding), the
 * trust store through which the CA-role James trusts the test CA's root; free loopback ports; and a
 * mailbox's key and chain read back from the PKCS#12 that org.test's WebAdmin exported.
 */
final class DemoKeys {

    private static final SecureRandom RANDOM = new SecureRandom();

    private DemoKeys() {
    }

    /** Writes a new RSA 2048 key to {@code pem}; returns its DKIM key record ({@code v=DKIM1; k=rsa; p=…}). */
    static String dkimKey(Path pem) throws IOException {
        // the same key and record `acme-smime dkim-key` makes
        KeyPair pair = DkimKeyGenerator.generate(DkimKeyGenerator.KeyType.RSA2048);
        Files.createDirectories(pem.getParent());
        Files.writeString(pem, DkimKeyGenerator.pkcs8Pem(pair.getPrivate()));
        return DkimKeys.keyRecord(pair.getPublic());
    }

    /** A 256-bit HMAC key as a CA hands it out: base64url. */
    static String secret() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** A PKCS#12 trust store {@code store} holding the certificate in {@code rootPem}, password {@code password}. */
    static void trustStore(Path rootPem, Path store, String password) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        Certificate root;
        try (var in = Files.newInputStream(rootPem)) {
            root = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        trust.setCertificateEntry("test-ca-root", root);
        try (OutputStream out = Files.newOutputStream(store)) {
            trust.store(out, password.toCharArray());
        }
    }

    /** The key and chain (leaf first) of {@code mailbox} in the PKCS#12 {@code pkcs12}, as any mail client would read them. */
    static SigningIdentity identity(String mailbox, byte[] pkcs12, String password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(new ByteArrayInputStream(pkcs12), password.toCharArray());
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                List<X509Certificate> chain = new ArrayList<>();
                for (Certificate c : store.getCertificateChain(alias)) {
                    chain.add((X509Certificate) c);
                }
                return new SigningIdentity(mailbox, (PrivateKey) store.getKey(alias, password.toCharArray()), chain);
            }
        }
        throw new GeneralSecurityException("the PKCS#12 of " + mailbox + " holds no key");
    }

    /**
     * {@code count} distinct loopback ports, each free for TCP and UDP now (dnsmasq needs both): every socket
     * stays open until all are chosen, so that no port is handed out twice.
     */
    static int[] freePorts(int count) throws IOException {
        List<Closeable> held = new ArrayList<>();
        int[] ports = new int[count];
        try {
            for (int i = 0, attempts = 0; i < count; attempts++) {
                if (attempts > count * 20) {
                    throw new IOException("no " + count + " free loopback ports for TCP and UDP");
                }
                ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(tcp);
                try {
                    held.add(new DatagramSocket(tcp.getLocalPort(), InetAddress.getLoopbackAddress()));
                    ports[i++] = tcp.getLocalPort();
                } catch (IOException udpTaken) {
                    // the next attempt gets another port
                }
            }
            return ports;
        } finally {
            for (Closeable c : held) {
                c.close();
            }
        }
    }
}
