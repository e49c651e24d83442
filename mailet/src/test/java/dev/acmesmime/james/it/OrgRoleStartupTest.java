package dev.acmesmime.james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.data.UsersRepositoryModuleChooser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.acmesmime.testing.ConfFiles;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.TestKeys;

/** Invalid settings of the responder (and of the WebAdmin guard, and of the enrolment) stop a real James 3.8.1 at start-up with a message naming them. */
@Timeout(300) // hang guard only
class OrgRoleStartupTest {

    @TempDir
    Path home;

    GuiceJamesServer james(String mailetXmlFrom, String mailetXmlTo, String storeSettings) throws Exception {
        Path conf = home.resolve("conf");
        OrgJames.writeConf(conf, new OrgJames.Settings(FreePorts.tcp(), FreePorts.tcp(), FreePorts.tcp(),
                "127.0.0.1:53", FreePorts.tcp(), 5, 100));
        if (mailetXmlFrom != null) {
            ConfFiles.replaceOnce(conf.resolve("mailetcontainer.xml"), mailetXmlFrom, mailetXmlTo);
        }
        Files.writeString(conf.resolve("acme-smime.properties"), storeSettings, java.nio.file.StandardOpenOption.APPEND);
        Path keys = Files.createDirectories(home.resolve("var/dkim"));
        Files.copy(TestKeys.generate(2048, home, "org").pkcs8(), keys.resolve("acme._domainkey.org.example.pem"));
        return MemoryJamesServerMain.createServer(MemoryJamesConfiguration.builder()
                .workingDirectory(home.toFile())
                .usersRepository(UsersRepositoryModuleChooser.Implementation.DEFAULT)
                .build());
    }

    @Test
    void shouldRefuseToStartWithAnInvalidParameterNamingIt() throws Exception {
        GuiceJamesServer james = james("<onAnswered>ghost</onAnswered>", "<onAnswered>keep</onAnswered>", "");
        try {
            assertThatThrownBy(james::start).satisfies(e -> assertThat(causes(e)).contains("'onAnswered' must be one of ghost, deliver"));
        } finally {
            james.stop();
        }
    }

    @Test
    void shouldRefuseToStartWithABadStoreSettingNamingIt() throws Exception {
        GuiceJamesServer james = james(null, null, "\nstore.pool.size=0\n");
        try {
            assertThatThrownBy(james::start).satisfies(e -> assertThat(causes(e)).contains("store.pool.size"));
        } finally {
            james.stop();
        }
    }

    @Test
    void shouldRefuseToStartWithABadAllowedOriginNamingIt() throws Exception {
        GuiceJamesServer james = james(null, null, "\nwebadmin.allowedOrigins=https://admin.org.example/\n");
        try {
            assertThatThrownBy(james::start).satisfies(e -> assertThat(causes(e))
                    .contains("webadmin.allowedOrigins: 'https://admin.org.example/' is not a web origin"));
        } finally {
            james.stop();
        }
    }

    /** Issue 15: the enrolment's settings are read by its startable (conf/extensions.properties) at start-up. */
    @ParameterizedTest
    @ValueSource(strings = {"enrolment.concurrency=0", "enrolment.profile.test.keyType=dsa-1024",
        "enrolment.userScan=60"})
    void shouldRefuseToStartWithABadEnrolmentSettingNamingIt(String bad) throws Exception {
        GuiceJamesServer james = james(null, null, String.join("\n", "", "enrolment.enabled=true",
                "enrolment.profile.test.directory=https://127.0.0.1:1/dir", "enrolment.profile.test.domains=org.example",
                bad, ""));
        try {
            assertThatThrownBy(james::start).satisfies(e -> assertThat(causes(e)).contains(bad.substring(0, bad.indexOf('='))));
        } finally {
            james.stop();
        }
    }

    private static String causes(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            sb.append(t).append('\n');
        }
        return sb.toString();
    }
}
