package dev.acmesmime.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import dev.acmesmime.testing.FreePorts;

/**
 * James 3.8.1's memory server as its release archive lays it out, unpacked into a folder:
 * {@code james-server-memory-app.jar} (its manifest's {@code Class-Path} names every library as
 * {@code james-server-memory-app.lib/<jar>}), {@code conf/}, {@code extensions-jars/}. The archive on Maven
 * Central holds no {@code .lib} folder, so {@link #fillLib} puts there exactly the jars the manifest names:
 * from the assembly's {@code lib/} (Maven resolved them for the same James), and the five the release has at
 * other versions, which the pom copies to {@code target/james-release/lib}. Run as the
 * archive's README says: {@code java -Dworking.directory=. … -jar james-server-memory-app.jar} in the folder.
 */
final class ReleaseLayout {

    static final String SERVER = "james-server-memory-app";
    /** The keystore password of the archive's configuration files (smtpserver.xml, imapserver.xml, jmap.properties). */
    private static final String KEYSTORE_SECRET = "james72laBalle";

    final Path root;
    final int smtpPort;
    final int webAdminPort;

    private ReleaseLayout(Path root) throws IOException {
        this.root = root;
        this.smtpPort = FreePorts.tcp();
        this.webAdminPort = FreePorts.tcp();
    }

    /** Unpacks the release archive {@code zip} into {@code into}. */
    static ReleaseLayout unpack(Path zip, Path into) throws IOException {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            for (ZipEntry entry : archive.stream().toList()) {
                Path target = into.resolve(entry.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("entry outside the folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = archive.getInputStream(entry)) {
                        Files.copy(in, target);
                    }
                }
            }
        }
        return new ReleaseLayout(into.resolve(SERVER));
    }

    Path conf() {
        return root.resolve("conf");
    }

    Path extensionsJars() {
        return root.resolve("extensions-jars");
    }

    /**
     * Copies each jar of the server jar's {@code Class-Path} from the first of {@code sources} that has a
     * file of that name; fails naming the jars none has.
     */
    void fillLib(Path... sources) throws IOException {
        List<String> missing = new ArrayList<>();
        for (String entry : classPath()) {
            Path name = Path.of(entry).getFileName();
            Optional<Path> source = Stream.of(sources).map(dir -> dir.resolve(name)).filter(Files::isRegularFile).findFirst();
            if (source.isPresent()) {
                Path target = root.resolve(entry);
                Files.createDirectories(target.getParent());
                Files.copy(source.get(), target);
            } else {
                missing.add(entry);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("no jar of " + List.of(sources) + " is " + missing);
        }
    }

    /** The release's library folder, {@code james-server-memory-app.lib}. */
    Path lib() {
        return root.resolve(SERVER + ".lib");
    }

    /** The server jar's manifest {@code Class-Path}: {@code james-server-memory-app.lib/<jar>} entries. */
    List<String> classPath() throws IOException {
        try (JarFile jar = new JarFile(root.resolve(SERVER + ".jar").toFile())) {
            return List.of(jar.getManifest().getMainAttributes().getValue("Class-Path").trim().split(" +"));
        }
    }

    /**
     * What an administrator changes in the archive's configuration to run it here, beside another James and
     * without root: the keystore the README asks for, free loopback ports for SMTP and WebAdmin, the IMAP
     * ports out of the way, JMAP and JMX off, the log file under the folder instead of {@code /logs}.
     */
    void prepareForLoopback() throws IOException, InterruptedException {
        keystore();
        replace("smtpserver.xml", "0.0.0.0:25<", "127.0.0.1:" + smtpPort + "<");
        replace("smtpserver.xml", "0.0.0.0:465<", "127.0.0.1:" + FreePorts.tcp() + "<");
        replace("smtpserver.xml", "0.0.0.0:587<", "127.0.0.1:" + FreePorts.tcp() + "<");
        replace("imapserver.xml", "0.0.0.0:143<", "127.0.0.1:" + FreePorts.tcp() + "<");
        replace("imapserver.xml", "0.0.0.0:993<", "127.0.0.1:" + FreePorts.tcp() + "<");
        replace("webadmin.properties", "port=8000", "port=" + webAdminPort);
        replace("jmap.properties", "enabled=true", "enabled=false");
        replace("jmx.properties", "jmx.enabled=true", "jmx.enabled=false");
        replace("logback.xml", "/logs/", "logs/");
    }

    /** {@code keytool -genkey -alias james -keyalg RSA -keystore conf/keystore}, as the archive's README says. */
    private void keystore() throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "james", "-keyalg", "RSA",
                "-keystore", conf().resolve("keystore").toString(), "-storetype", "PKCS12",
                "-storepass", KEYSTORE_SECRET, "-keypass", KEYSTORE_SECRET, "-dname", "CN=localhost", "-validity", "2")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + output);
        }
    }

    /** Replaces {@code from}, which must occur, in the configuration file {@code file}. */
    void replace(String file, String from, String to) throws IOException {
        Path path = conf().resolve(file);
        String text = Files.readString(path);
        if (!text.contains(from)) {
            throw new IllegalStateException(path + " has no " + from);
        }
        Files.writeString(path, text.replace(from, to));
    }

    /** Appends {@code lines} to the configuration file {@code file}. */
    void append(String file, String lines) throws IOException {
        Path path = conf().resolve(file);
        Files.writeString(path, Files.readString(path) + "\n" + lines + "\n");
    }
}
