package dev.acmesmime.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * A correspondent outside the organisation, made with {@code openssl} alone, as another organisation's
 * S/MIME client would be: a root of its own (the organisation James trusts it through
 * {@code gateway.trustAnchors}), an e-mail certificate for {@link #address()} issued by it (rfc822Name,
 * emailProtection, the key usage its key type needs to be encrypted to), and the detached signed mail
 * ({@code openssl cms -sign}) from which the organisation's gateway learns that certificate (G6).
 *
 * @param address the correspondent's mailbox
 * @param dir     where its files are: {@code root.pem}, {@code cert.pem}, {@code cert.key}
 */
record Correspondent(String address, Path dir) {

    /** Key types as the benchmarks name them, with {@code openssl req}'s arguments for each. */
    private static List<String> newKey(String keyType) {
        return switch (keyType) {
            case "ec256" -> List.of("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
            case "rsa2048" -> List.of("-newkey", "rsa:2048");
            default -> throw new IllegalArgumentException("key type ec256 or rsa2048, not " + keyType);
        };
    }

    /** A root and {@code address}'s certificate, valid 30 days from now, keys of {@code keyType} (ec256, rsa2048). */
    static Correspondent create(Path dir, String address, String keyType) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Correspondent c = new Correspondent(address, dir);
        List<String> root = new ArrayList<>(List.of("req", "-x509", "-new", "-nodes", "-keyout", "root.key",
                "-out", "root.pem", "-days", "30", "-subj", "/CN=Correspondent Bench Root",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
        root.addAll(newKey(keyType));
        c.openssl(root);
        List<String> request = new ArrayList<>(List.of("req", "-new", "-nodes", "-keyout", "cert.key", "-out", "cert.csr",
                "-subj", "/CN=" + address));
        request.addAll(newKey(keyType));
        c.openssl(request);
        // EC keys are encrypted to by key agreement (ECDH, RFC 5753), RSA keys by key transport
        String usage = keyType.equals("ec256") ? "keyAgreement" : "keyEncipherment";
        Files.writeString(dir.resolve("cert.ext"), String.join("\n", "basicConstraints=critical,CA:FALSE",
                "keyUsage=critical,digitalSignature," + usage, "extendedKeyUsage=emailProtection",
                "subjectAltName=email:" + address, "subjectKeyIdentifier=hash", "authorityKeyIdentifier=keyid", ""));
        c.openssl(List.of("x509", "-req", "-in", "cert.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "2",
                "-days", "30", "-sha256", "-extfile", "cert.ext", "-out", "cert.pem"));
        return c;
    }

    /** The root, PEM: what the organisation puts into {@code gateway.trustAnchors}. */
    Path rootPem() {
        return dir.resolve("root.pem");
    }

    /**
     * A whole mail from {@link #address()} to {@code to}: a text part signed with {@code openssl cms -sign}
     * (detached {@code multipart/signed}, SHA-256, the signer's certificate included, openssl's own
     * SMIMECapabilities), with From, To, Subject, Date and Message-ID above it, CRLF line ends.
     */
    byte[] signedMail(String to, String subject, String text) throws IOException, InterruptedException {
        Files.writeString(dir.resolve("body.txt"), text);
        openssl(List.of("cms", "-sign", "-in", "body.txt", "-text", "-signer", "cert.pem", "-inkey", "cert.key",
                "-md", "sha256", "-out", "signed.mime"));
        // openssl writes LF (its base64 lines even with -crlfeol); the signature covers the canonical CRLF form
        String mail = header(to, subject) + Files.readString(dir.resolve("signed.mime"), StandardCharsets.US_ASCII);
        return mail.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** From, To, Subject, Date and a fresh Message-ID of a mail from {@link #address()}, LF line ends. */
    String header(String to, String subject) {
        return "From: " + address + "\nTo: " + to + "\nSubject: " + subject + "\nDate: "
                + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()) + "\nMessage-ID: <"
                + System.nanoTime() + "." + address + ">\n";
    }

    /** The leaf, PEM. */
    Path certificatePem() {
        return dir.resolve("cert.pem");
    }

    /** The leaf's private key, PKCS#8 PEM. */
    Path keyPem() {
        return dir.resolve("cert.key");
    }

    private void openssl(List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(args);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }
}
