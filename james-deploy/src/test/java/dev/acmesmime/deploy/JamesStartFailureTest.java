package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPairGenerator;
import java.util.Base64;

import dev.acmesmime.james.it.OrgJames;
import dev.acmesmime.testing.ConfFiles;
import dev.acmesmime.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17: when James cannot start, {@code bin/james start} names the cause in a line or two (the
 * plugin's own start-up message, the root of the stack trace) and exits non-zero, instead of the last
 * 30 lines of stack frames while the cause sits far earlier in the log. Each case is a real James
 * 3.8.1 started from a copy of conf/org broken the way an administrator breaks it.
 */
class JamesStartFailureTest {

    @TempDir
    Path work;

    @Test
    void aMissingDkimKeyFolderIsNamedByTheLauncher() throws Exception {
        Path conf = orgConf();
        ConfFiles.replaceOnce(conf.resolve("mailetcontainer.xml"), "<dkimKeyDirectory>var/dkim</dkimKeyDirectory>",
                "<dkimKeyDirectory>var/no-such-dkim-folder</dkimKeyDirectory>");

        JamesLauncher.Launch start = new JamesLauncher(work.resolve("home"), work).start(conf, null);

        assertThat(start.exitCode()).as(start.output()).isEqualTo(1);
        assertThat(start.output())
                .contains("james: cause: java.io.IOException: DKIM key directory "
                        + work.resolve("home/var/no-such-dkim-folder") + " is not a readable folder")
                .contains("james: error: Unable to init mailet dev.acmesmime.james.mailets.AcmeChallengeResponder")
                .contains("full log: " + work.resolve("home/log/james.log"));
        assertNoStackFrames(start.output());
    }

    @Test
    void aBadPluginSettingIsNamedByTheLauncher() throws Exception {
        Path conf = orgConf();
        writeDkimKey(Files.createDirectories(work.resolve("home/var/dkim")).resolve("acme._domainkey.org.example.pem"));
        Files.writeString(conf.resolve("acme-smime.properties"), "\nstore.pool.size=0\n", StandardOpenOption.APPEND);

        JamesLauncher.Launch start = new JamesLauncher(work.resolve("home"), work).start(conf, null);

        assertThat(start.exitCode()).as(start.output()).isEqualTo(1);
        assertThat(start.output()).containsPattern("(?m)^james: cause: [\\w.$]+: store\\.pool\\.size\\b");
        assertNoStackFrames(start.output());
    }

    private Path orgConf() throws Exception {
        Path conf = work.resolve("conf-org");
        OrgJames.writeConf(conf, new OrgJames.Settings(FreePorts.tcp(), FreePorts.tcp(), FreePorts.tcp(),
                "127.0.0.1:" + FreePorts.udp(), FreePorts.tcp(), 5, 100));
        return conf;
    }

    /** A valid RSA-2048 key, so that James gets past the responder and reads the store's settings. */
    private static void writeDkimKey(Path file) throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        byte[] pkcs8 = rsa.generateKeyPair().getPrivate().getEncoded();
        Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8) + "\n-----END PRIVATE KEY-----\n");
    }

    private static void assertNoStackFrames(String output) {
        assertThat(output).doesNotContain("\tat ");
        assertThat(output.lines()).as(output).hasSizeLessThanOrEqualTo(3);
    }
}
