package dev.acmesmime.james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Properties;
import java.util.Set;

import javax.inject.Inject;
import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.Multipart;
import javax.mail.Part;
import javax.mail.Session;
import javax.mail.Store;

import org.apache.james.GuiceJamesServer;
import org.apache.james.MemoryJamesConfiguration;
import org.apache.james.MemoryJamesServerMain;
import org.apache.james.data.UsersRepositoryModuleChooser;
import org.apache.james.utils.DataProbeImpl;
import org.apache.james.utils.GuiceProbe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.multibindings.Multibinder;

import dev.acmesmime.enrolment.IssuedCertificate;
import dev.acmesmime.enrolment.KeyCodec;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStep;
import dev.acmesmime.testing.FreePorts;
import dev.acmesmime.testing.MailboxCertificates;
import dev.acmesmime.testing.MailboxCertificates.Issued;
import dev.acmesmime.testing.Pkcs12Openssl;
import dev.acmesmime.testing.TestKeys;
import dev.acmesmime.testing.WebAdminClient;
import dev.acmesmime.testing.WebAdminClient.Http;

/**
 * {@code GatewayRoutes} in a real James 3.8.1 configured from {@code conf/org}: Guice injects James's
 * MailboxManager, a delivered PKCS#12 is read back over IMAP and opened by OpenSSL with the one-time password,
 * and a bad {@code gateway.*} setting stops start-up naming its key.
 */
@Timeout(300) // hang guard only
class GatewayRoutesJamesTest {
    static final String ALICE = "alice@org.example";
    static final String PASSWORD = "secret";

    /** Reaches the plugin's runtime inside the running James, to store Alice's enrolment as the engine would. */
    public static final class RuntimeProbe implements GuiceProbe {
        final AcmeSmimeRuntime runtime;

        @Inject
        public RuntimeProbe(AcmeSmimeRuntime runtime) {
            this.runtime = runtime;
        }
    }

    @TempDir
    Path home;
    GuiceJamesServer james;
    int imapPort;
    int webAdminPort;

    GuiceJamesServer james(String settings) throws Exception {
        Path conf = home.resolve("conf");
        imapPort = FreePorts.tcp();
        webAdminPort = FreePorts.tcp();
        OrgJames.writeConf(conf, new OrgJames.Settings(FreePorts.tcp(), imapPort, webAdminPort, "127.0.0.1:53",
                FreePorts.tcp(), 5, 100));
        Files.writeString(conf.resolve("acme-smime.properties"), settings, StandardOpenOption.APPEND);
        Path keys = Files.createDirectories(home.resolve("var/dkim"));
        Files.copy(TestKeys.generate(2048, home, "org").pkcs8(), keys.resolve("acme._domainkey.org.example.pem"));
        james = MemoryJamesServerMain.createServer(MemoryJamesConfiguration.builder().workingDirectory(home.toFile())
                .usersRepository(UsersRepositoryModuleChooser.Implementation.DEFAULT).build())
                .overrideWith(binder -> Multibinder.newSetBinder(binder, GuiceProbe.class).addBinding()
                        .to(RuntimeProbe.class));
        return james;
    }

    @AfterEach
    void stop() {
        if (james != null) {
            james.stop();
        }
    }

    @Test
    void g10_aDeliveredPkcs12ArrivesInTheInbox_andOpensWithTheOneTimePasswordOnly() throws Exception {
        james("").start();
        james.getProbe(DataProbeImpl.class).addUser(ALICE, PASSWORD);
        AcmeSmimeRuntime runtime = james.getProbe(RuntimeProbe.class).runtime;
        Issued alice = new MailboxCertificates("James Gateway Test CA").issue(ALICE);
        IssuedCertificate chain = IssuedCertificate.of(alice.chain());
        runtime.store().enrolments().save(Enrolment.of(ALICE).withProfile("test").withStep(EnrolmentStep.ISSUED)
                .withCertificate(chain.pem(), chain.serial(), null, alice.leaf().getNotBefore().toInstant(),
                        alice.leaf().getNotAfter().toInstant()).withPrivateKey(KeyCodec.encode(alice.key())));

        Http answer = new WebAdminClient(webAdminPort).post("/acme-smime/enrolments/" + ALICE + "/pkcs12",
                "{\"deliver\":true}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode json = new ObjectMapper().readTree(answer.body());
        assertThat(json.get("delivered").asBoolean()).isTrue();
        String oneTime = json.get("password").asText();
        assertThat(oneTime).hasSizeGreaterThanOrEqualTo(16).matches("[A-Za-z0-9]+");
        Path p12 = Files.write(home.resolve("delivered.p12"), attachment(ALICE));
        Pkcs12Openssl.Result info = Pkcs12Openssl.info(p12, oneTime, false);
        assertThat(info.exit()).as(info.output()).isZero();
        assertThat(info.output()).contains("AES-256-CBC");
        assertThat(Pkcs12Openssl.info(p12, PASSWORD, false).exit()).isNotZero();
        assertThat(runtime.store().audit().latest(ALICE, Set.of(AuditEvent.PKCS12_EXPORTED), 5)).singleElement()
                .satisfies(r -> assertThat(r.toString()).doesNotContain(oneTime).contains("delivered"));
        assertThat(Files.readString(home.resolve("delivered.p12"), StandardCharsets.ISO_8859_1))
                .doesNotContain(oneTime);
    }

    /** The only message in the user's INBOX, read over IMAP: its .p12 attachment. */
    private byte[] attachment(String user) throws Exception {
        Properties props = new Properties();
        props.setProperty("mail.imap.host", "127.0.0.1");
        props.setProperty("mail.imap.port", String.valueOf(imapPort));
        Store store = Session.getInstance(props).getStore("imap");
        store.connect(user, PASSWORD);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message[] messages = inbox.getMessages();
            assertThat(messages).hasSize(1);
            assertThat(messages[0].getSubject()).isEqualTo("Your S/MIME certificate and key");
            Multipart parts = (Multipart) messages[0].getContent();
            for (int i = 0; i < parts.getCount(); i++) {
                Part part = parts.getBodyPart(i);
                if ((user + ".p12").equals(part.getFileName())) {
                    assertThat(part.getContentType()).startsWithIgnoringCase("application/x-pkcs12"); // IMAP upper-cases it
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    part.getDataHandler().writeTo(out);
                    inbox.close(false);
                    return out.toByteArray();
                }
            }
            throw new AssertionError("no " + user + ".p12 attachment");
        } finally {
            store.close();
        }
    }

    @Test
    void aBadGatewaySettingStopsStartUpNamingItsKey() throws Exception {
        GuiceJamesServer server = james("\ngateway.encrypt.org.example=sometimes\n");
        assertThatThrownBy(server::start).satisfies(e -> {
            StringBuilder causes = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                causes.append(t.getMessage()).append('\n');
            }
            assertThat(causes.toString()).contains("gateway.encrypt.org.example: must be off, opportunistic or required");
        });
    }
}
