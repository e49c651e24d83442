package dev.acmesmime.testca;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code conf/test-ca/test-ca.properties} as shipped: it loads, it documents exactly the keys
 * {@link TestCaSettings} reads (set or as a commented example), and it fits conf/ca next to it (the
 * SMTP port, the forward HMAC key and key id, the challenge address's domain).
 */
class ShippedSettingsFileTest {

    static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().getParent();
    static final Path FILE = REPO.resolve("conf/test-ca/test-ca.properties");
    static final Path CA_CONF = REPO.resolve("conf/ca");
    /** {@code key=value} lines, set or commented out ({@code #key=value}); prose has a space before any '='. */
    static final Pattern KEY_LINE = Pattern.compile("^#?([a-zA-Z][\\w.-]*)=.*$");

    @Test
    void loadsAndWorksOnLoopbackNextToConfCa() throws IOException {
        TestCaSettings s = TestCaSettings.load(FILE);

        assertThat(s.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(s.httpPort()).isEqualTo(14000);
        assertThat(s.tls()).isTrue();
        assertThat(s.managementPort()).isEqualTo(15000);
        assertThat(s.dataDir()).isEqualTo(REPO.resolve("var/test-ca"));
        assertThat(s.dataDir().startsWith(REPO.resolve("conf"))).as("dataDir must not be in conf/").isFalse();
        assertThat(s.smtpHost()).isEqualTo("127.0.0.1");
        assertThat(Files.readString(CA_CONF.resolve("smtpserver.xml"))).contains("<bind>127.0.0.1:" + s.smtpPort()
                + "</bind>");
        assertThat(s.forwardKeyFile()).contains(CA_CONF.resolve("acme-smime-forward.secret"));
        assertThat(s.forwardKeyFile().get()).isRegularFile();
        assertThat(caProperties().getProperty("forward.keyId")).isEqualTo(s.forwardKeyId());
        // conf/ca signs challenges whose sender is at its domain and takes responses to acme@ / acme+*@ it
        assertThat(s.challengeFrom()).isEqualTo("acme@ca.example");
        assertThat(Files.readString(CA_CONF.resolve("mailetcontainer.xml")))
                .contains("IsAcmeResponse=" + s.challengeFrom() + ", acme+*@ca.example");
        assertThat(s.eab()).isEqualTo(TestCaSettings.Eab.OFF);
        assertThat(s.eabKeys()).isEmpty();
        assertThat(s.dkim()).isEmpty();
        assertThat(s.notifyWebadminUrl()).isEmpty();
        assertThat(s.faults()).isEqualTo(TestCaSettings.Faults.NONE);
        assertThat(s.caa().check()).isFalse();
    }

    @Test
    void everyKeyInTheFileIsReadAndEveryKeyReadIsInTheFile(@TempDir Path base) throws IOException {
        Set<String> documented = documentedKeys();
        // the commented examples, uncommented: the whole file parses, and the reader asks for each key
        Files.createDirectories(base.resolve("dkim"));
        Files.writeString(base.resolve("dkim/test-ca.pem"), "placeholder: only readability is checked at load");
        RecordingProperties all = new RecordingProperties();
        all.load(new StringReader(Files.readString(FILE).replaceAll("(?m)^#([a-zA-Z][\\w.-]*=)", "$1")));
        assertThat(all.stringPropertyNames()).containsExactlyInAnyOrderElementsOf(documented);

        TestCaSettings s = TestCaSettings.parse(all, base);

        Set<String> read = new TreeSet<>(all.asked);
        Set<String> notRead = new TreeSet<>(documented);
        notRead.removeAll(read);
        notRead.removeIf(k -> k.startsWith("eab.key.")); // read by prefix: checked below
        assertThat(notRead).as("keys in the file that TestCaSettings does not read").isEmpty();
        assertThat(read).as("keys TestCaSettings reads that the file does not document").isSubsetOf(documented);
        assertThat(s.eabKeys()).containsOnlyKeys("kid-1");
        assertThat(s.dkim()).isPresent();
        assertThat(s.notifyWebadminUrl()).contains("http://127.0.0.1:8001");
        assertThat(s.caa().dnsServer()).contains("127.0.0.1:5353");
    }

    @Test
    void everyKeyHasItsOwnComment() throws IOException {
        List<String> lines = Files.readAllLines(FILE);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = KEY_LINE.matcher(lines.get(i));
            if (m.matches()) {
                assertThat(i).as("first line").isPositive();
                assertThat(lines.get(i - 1)).as("the line before %s", m.group(1)).startsWith("#");
            }
        }
    }

    private static Set<String> documentedKeys() throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        for (String line : Files.readAllLines(FILE)) {
            Matcher m = KEY_LINE.matcher(line);
            if (m.matches()) {
                assertThat(keys.add(m.group(1))).as("%s appears once", m.group(1)).isTrue();
            }
        }
        return keys;
    }

    private static Properties caProperties() throws IOException {
        Properties p = new Properties();
        try (StringReader r = new StringReader(Files.readString(CA_CONF.resolve("acme-smime.properties")))) {
            p.load(r);
        }
        return p;
    }

    /** Properties that remember which keys were asked for. */
    static final class RecordingProperties extends Properties {
        final Set<String> asked = new TreeSet<>();

        @Override
        public String getProperty(String key) {
            asked.add(key);
            return super.getProperty(key);
        }
    }
}
