package dev.acmesmime.testca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TestCaMain}: the command line, the one-line configuration errors, and the banner + ready line. */
class TestCaMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private final List<TestCa> started = new ArrayList<>();

    private int run(String... args) {
        return TestCaMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), started::add);
    }

    @AfterEach
    void stop() {
        started.forEach(TestCa::close);
    }

    private String text(ByteArrayOutputStream s) {
        return s.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aWrongCommandLineShowsTheUsageAndExits2() {
        assertThat(run()).isEqualTo(2);
        assertThat(run("--conf", "x")).isEqualTo(2);
        assertThat(text(err)).contains(TestCaMain.USAGE);
        assertThat(text(out)).isEmpty();
    }

    @Test
    void aBadSettingIsOneLineNamingTheKeyAndExits2(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("test-ca.properties");
        Files.writeString(conf, "http.port=99999\n");
        assertThat(run("--config", conf.toString())).isEqualTo(2);
        assertThat(text(err)).startsWith("test-ca: http.port:").hasLineCount(1);
        assertThat(run("--config", dir.resolve("missing").toString())).isEqualTo(2);
    }

    @Test
    void aGoodConfigurationServesAndSaysSoLast(@TempDir Path dir) throws Exception {
        Path conf = dir.resolve("test-ca.properties");
        Files.writeString(conf, "http.port=0\nmanagement.port=0\ntls=false\ndataDir=data\n");
        assertThat(run("--config", conf.toString())).isZero();
        String[] lines = text(out).split("\n");
        assertThat(text(out)).contains("TEST").contains("never use it for real certificates");
        assertThat(lines[lines.length - 1]).matches("test-ca ready: directory=http://127\\.0\\.0\\.1:\\d+/dir");
        assertThat(dir.resolve("data/root.pem")).exists();
        assertThat(dir.resolve("data/intermediate.pem")).exists();
        assertThat(started).hasSize(1);
        assertThat(started.get(0).directory().toString()).isEqualTo(lines[lines.length - 1].substring(
                "test-ca ready: directory=".length()));
    }
}
