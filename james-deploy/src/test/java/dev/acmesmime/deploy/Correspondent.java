package dev.acmesmime.deploy;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;

import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.util.io.pem.PemObject;

import dev.acmesmime.testing.MailboxCertificates;
import dev.acmesmime.testing.Openssl;

/**
 * A correspondent outside the organisation with an S/MIME certificate of some CA, as PEM files OpenSSL
 * signs and decrypts with: {@code <name>.crt} (the leaf) and {@code <name>.key} (PKCS#8).
 *
 * @param address the certificate's rfc822Name
 * @param issued  its key and chain
 * @param cert    the leaf's PEM file
 * @param key     the key's PEM file
 */
record Correspondent(String address, MailboxCertificates.Issued issued, Path cert, Path key) {

    static Correspondent of(MailboxCertificates ca, String address, String name, Path dir) throws IOException {
        return of(ca.issue(address), address, name, dir);
    }

    /** A correspondent with {@code key} (an RSA key, say), certified by {@code ca} from a day ago for a year. */
    static Correspondent of(MailboxCertificates ca, String address, KeyPair key, String name, Path dir) throws IOException {
        Instant now = Instant.now();
        return of(ca.issue(address, key, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365))), address, name, dir);
    }

    private static Correspondent of(MailboxCertificates.Issued issued, String address, String name, Path dir)
            throws IOException {
        Path cert = Files.writeString(dir.resolve(name + ".crt"), pem(issued.leaf()));
        Path key = Files.writeString(dir.resolve(name + ".key"),
                pem(new PemObject("PRIVATE KEY", issued.key().getPrivate().getEncoded())));
        return new Correspondent(address, issued, cert, key);
    }

    /** One PEM block of {@code object} (a certificate, or a {@link PemObject}). */
    static String pem(Object object) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(object);
        }
        return w.toString();
    }

    /**
     * A mail {@code openssl cms -sign} signed with this correspondent's key (detached, {@code multipart/signed}),
     * From {@code from}, To {@code to}, with {@code messageId}.
     */
    byte[] signedMail(Openssl openssl, String from, String to, String subject, String messageId) throws Exception {
        String name = messageId.replaceAll("[^A-Za-z0-9]", "");
        openssl.write(name + ".txt", ("Content-Type: text/plain; charset=US-ASCII\r\n\r\n"
                + "Hello from " + from + ".\r\n").getBytes(StandardCharsets.US_ASCII));
        openssl.ok("cms", "-sign", "-in", name + ".txt", "-signer", cert.toString(), "-inkey", key.toString(),
                "-from", from, "-to", to, "-subject", subject, "-out", name + ".eml");
        return withMessageId(openssl.read(name + ".eml"), messageId);
    }

    /** {@code raw} (OpenSSL writes no Message-ID) with a {@code Message-ID} field first. */
    static byte[] withMessageId(byte[] raw, String messageId) {
        String text = new String(raw, StandardCharsets.ISO_8859_1).replaceAll("(?<!\r)\n", "\r\n");
        return ("Message-ID: " + messageId + "\r\n" + text).getBytes(StandardCharsets.ISO_8859_1);
    }
}
