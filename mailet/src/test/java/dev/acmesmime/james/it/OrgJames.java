package dev.acmesmime.james.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.mail.Folder;
import javax.mail.Message;
import javax.mail.MessagingException;
import javax.mail.Session;
import javax.mail.Store;
import javax.mail.internet.MimeMessage;

import org.apache.commons.net.smtp.SMTPClient;
import org.apache.commons.net.smtp.SMTPReply;
import org.subethamail.wiser.Wiser;
import org.subethamail.wiser.WiserMessage;

import dev.acmesmime.testing.ConfFiles;

/**
 * Helpers for tests against a James configured from the repository's {@code conf/org}: copy it with
 * free ports, a DNS server and a gateway to the test's SMTP sink; talk SMTP and IMAP ({@link dev.acmesmime.testing.WebAdminClient} talks to WebAdmin).
 */
public final class OrgJames {

    public static final Path CONF_ORG = Path.of(System.getProperty("acme-smime.conf.org", "../conf/org")).toAbsolutePath();

    private OrgJames() {
    }

    /** Ports and addresses a copy of conf/org is rewritten for. */
    public record Settings(int smtpPort, int imapPort, int webAdminPort, String dnsServer, int sinkPort,
                           int rateLimitPerMailbox, int rateLimitPerSenderDomain) {
    }

    /** Copies conf/org to {@code conf} with the given settings. */
    public static void writeConf(Path conf, Settings s) throws IOException {
        Files.createDirectories(conf);
        try (Stream<Path> files = Files.list(CONF_ORG)) {
            for (Path file : files.collect(Collectors.toList())) {
                Files.copy(file, conf.resolve(file.getFileName()));
            }
        }
        ConfFiles.replaceOnce(conf.resolve("smtpserver.xml"), "<bind>127.0.0.1:2525</bind>", "<bind>127.0.0.1:" + s.smtpPort() + "</bind>");
        ConfFiles.replaceOnce(conf.resolve("imapserver.xml"), "<bind>127.0.0.1:1143</bind>", "<bind>127.0.0.1:" + s.imapPort() + "</bind>");
        ConfFiles.replaceOnce(conf.resolve("webadmin.properties"), "\nport=8001\n", "\nport=" + s.webAdminPort() + "\n");
        ConfFiles.replaceOnce(conf.resolve("mailetcontainer.xml"), "<dnsServer></dnsServer>", "<dnsServer>" + s.dnsServer() + "</dnsServer>");
        ConfFiles.replaceOnce(conf.resolve("mailetcontainer.xml"), "<!-- gateway -->",
                "<gateway>127.0.0.1</gateway><gatewayPort>" + s.sinkPort() + "</gatewayPort>");
        ConfFiles.replaceOnce(conf.resolve("mailetcontainer.xml"), "<rateLimitPerMailbox>5</rateLimitPerMailbox>",
                "<rateLimitPerMailbox>" + s.rateLimitPerMailbox() + "</rateLimitPerMailbox>");
        ConfFiles.replaceOnce(conf.resolve("mailetcontainer.xml"), "<rateLimitPerSenderDomain>100</rateLimitPerSenderDomain>",
                "<rateLimitPerSenderDomain>" + s.rateLimitPerSenderDomain() + "</rateLimitPerSenderDomain>");
        // the shortest delay James's spool is given here, so that a D16 retry fits in a test
        ConfFiles.replaceOnce(conf.resolve("mailetcontainer.xml"), "<temperrorDelayMinutes>10</temperrorDelayMinutes>",
                "<temperrorDelayMinutes>1</temperrorDelayMinutes>");
    }

    /** Sends over SMTP; {@code from} empty for the null sender. */
    public static void send(int port, String from, String to, byte[] message) throws IOException {
        SMTPClient smtp = new SMTPClient(StandardCharsets.ISO_8859_1.name());
        smtp.connect("127.0.0.1", port);
        try {
            assertThat(SMTPReply.isPositiveCompletion(smtp.getReplyCode())).as(smtp.getReplyString()).isTrue();
            assertThat(smtp.login("ca-mx.test")).as(smtp.getReplyString()).isTrue();
            assertThat(smtp.setSender(from)).as(smtp.getReplyString()).isTrue();
            assertThat(smtp.addRecipient(to)).as(smtp.getReplyString()).isTrue();
            assertThat(smtp.sendShortMessageData(new String(message, StandardCharsets.ISO_8859_1)))
                    .as(smtp.getReplyString()).isTrue();
            smtp.logout();
        } finally {
            smtp.disconnect();
        }
    }

    /** Message-ID → header block of every message in the user's INBOX, waiting until {@code messageId} is there. */
    public static Map<String, String> awaitInbox(int port, String user, String password, String messageId) {
        Map<String, String> result = new LinkedHashMap<>();
        // ignoreExceptions: a poll may meet the mailbox before James created it; on timeout the last error is shown
        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            result.clear();
            result.putAll(inbox(port, user, password));
            return result.containsKey(messageId);
        });
        return result;
    }

    /** Message-ID → header block of every message in the user's INBOX, waiting until there are at least {@code count}. */
    public static Map<String, String> awaitInboxSize(int port, String user, String password, int count) {
        return await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> inbox(port, user, password), inbox -> inbox.size() >= count);
    }

    /**
     * Message-ID → header block of every message in the user's INBOX (a further copy of one Message-ID
     * under {@code <id>#2}, …), read with JavaMail's IMAP provider.
     * commons-net's {@code IMAPClient} was used here first; it sizes a literal by counting decoded lines,
     * and in CI it once read the {@code )} closing a FETCH as the tagged reply. JavaMail reads literals by
     * their byte count, as every real client does.
     */
    public static Map<String, String> inbox(int port, String user, String password) throws MessagingException {
        try {
            return readInbox(port, user, password, messages -> {
                Map<String, String> byId = new LinkedHashMap<>();
                for (Message m : messages) {
                    List<String> lines = Collections.list(((MimeMessage) m).getAllHeaderLines());
                    String block = String.join("\r\n", lines) + "\r\n";
                    String id = headerValues(block, "Message-ID").stream().findFirst().orElse("?");
                    // a second copy gets its own key ("<id>#2"), so that a size check sees duplicates
                    String key = id;
                    for (int n = 2; byId.containsKey(key); n++) {
                        key = id + "#" + n;
                    }
                    byId.put(key, block);
                }
                return byId;
            });
        } catch (IOException e) {
            throw new MessagingException("reading the INBOX of " + user, e);
        }
    }

    /** Reads an INBOX's messages. */
    @FunctionalInterface
    public interface InboxReader<T> {
        T read(Message[] messages) throws MessagingException, IOException;
    }

    /** What {@code reader} makes of the messages in the user's INBOX, opened read-only with JavaMail's IMAP provider. */
    public static <T> T readInbox(int port, String user, String password, InboxReader<T> reader)
            throws MessagingException, IOException {
        Properties props = new Properties();
        props.setProperty("mail.imap.host", "127.0.0.1");
        props.setProperty("mail.imap.port", String.valueOf(port));
        props.setProperty("mail.imap.connectiontimeout", "10000");
        props.setProperty("mail.imap.timeout", "10000");
        Store store = Session.getInstance(props).getStore("imap");
        store.connect(user, password);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                return reader.read(inbox.getMessages());
            } finally {
                inbox.close(false);
            }
        } finally {
            store.close();
        }
    }

    /**
     * A snapshot of what the SMTP sink has received. Wiser hands out its live synchronised list, and
     * streaming that list while James delivers into it throws ConcurrentModificationException;
     * {@code List.copyOf} copies under the list's lock.
     */
    public static List<WiserMessage> received(Wiser sink) {
        return List.copyOf(sink.getMessages());
    }

    /** The RFC 8823 responses (Subject {@code Re: ACME: <token-part1>}) the sink has received for {@code token}. */
    public static List<WiserMessage> responsesTo(Wiser sink, String token) {
        return received(sink).stream().filter(m -> new String(m.getData(), StandardCharsets.ISO_8859_1)
                .replaceAll("\r\n[ \t]+", " ").contains("Subject: Re: ACME: " + token)).toList();
    }

    /** The unfolded values of every field {@code name} in a header block. */
    public static List<String> headerValues(String headers, String name) {
        String unfolded = headers.replaceAll("\r?\n[ \t]+", " ");
        Matcher m = Pattern.compile("(?im)^" + Pattern.quote(name) + ":[ \t]*(.*?)\r?$").matcher(unfolded);
        List<String> values = new ArrayList<>();
        while (m.find()) {
            values.add(m.group(1).trim());
        }
        return values;
    }
}
