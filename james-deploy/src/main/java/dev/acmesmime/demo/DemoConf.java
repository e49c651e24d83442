package dev.acmesmime.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The demo's configurations, each a copy of a shipped one with the lines an admin would change: the
 * shipped {@code conf/ca} made the CA of {@code ca.test}, {@code conf/org} made the organisation
 * {@code org.test}, {@code conf/test-ca/test-ca.properties}; free loopback ports, dnsmasq as the DKIM
 * resolver, each James's RemoteDelivery gateway the other James's SMTP port. A shipped line that is not
 * there any more stops the demo naming the file, rather than running a configuration nobody checked.
 */
public final class DemoConf {

    static final String CA_DOMAIN = "ca.test";
    static final String ORG_DOMAIN = "org.test";

    private DemoConf() {
    }

    /** conf/ca as the CA of ca.test; its DKIM key, forward secret and trust store lines given. */
    static void ca(Path repo, Path conf, DemoPorts ports, Path dkimKey, String forwardSecret, String extraProperties)
            throws IOException {
        copy(repo.resolve("conf/ca"), conf);
        bind(conf, ports.caSmtp(), ports.caImap(), ports.caWebAdmin());
        caDomain(conf, CA_DOMAIN);
        Path mailets = conf.resolve("mailetcontainer.xml");
        replaceOnce(mailets, "<dnsServer>127.0.0.1:53</dnsServer>", "<dnsServer>127.0.0.1:" + ports.dns() + "</dnsServer>");
        replaceOnce(mailets, "<outgoing>outgoing</outgoing>", "<outgoing>outgoing</outgoing><gateway>127.0.0.1</gateway>"
                + "<gatewayPort>" + ports.orgSmtp() + "</gatewayPort>");
        Files.copy(dkimKey, conf.resolve("dkim/acme-sample.pem"), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(conf.resolve("acme-smime-forward.secret"), forwardSecret + "\n");
        Path props = conf.resolve("acme-smime.properties");
        replaceOnce(props, "forward.url=http://127.0.0.1:8080/acme/mail-result",
                "forward.url=https://localhost:" + ports.acme() + "/acme/mail-result");
        // a result the test CA could not take yet is sent again within a second or two, not after 30 s
        replaceOnce(props, "forward.retry.initialSeconds=30", "forward.retry.initialSeconds=1");
        replaceOnce(props, "forward.retry.maxSeconds=1800", "forward.retry.maxSeconds=2");
        replaceOnce(props, "forward.pollMillis=1000", "forward.pollMillis=200");
        Files.writeString(props, "\n" + extraProperties + "\n", StandardOpenOption.APPEND);
    }

    /** conf/org as the organisation org.test, with {@code enrolment} (properties lines) appended. */
    static void org(Path repo, Path conf, DemoPorts ports, String enrolment) throws IOException {
        copy(repo.resolve("conf/org"), conf);
        bind(conf, ports.orgSmtp(), ports.orgImap(), ports.orgWebAdmin());
        domain(conf, "org.example", ORG_DOMAIN);
        Path mailets = conf.resolve("mailetcontainer.xml");
        replaceOnce(mailets, "<dnsServer></dnsServer>", "<dnsServer>127.0.0.1:" + ports.dns() + "</dnsServer>");
        replaceOnce(mailets, "<!-- gateway -->", "<gateway>127.0.0.1</gateway><gatewayPort>" + ports.caSmtp() + "</gatewayPort>");
        Files.writeString(conf.resolve("acme-smime.properties"), "\n" + enrolment + "\n", StandardOpenOption.APPEND);
    }

    /**
     * Makes a copy of conf/ca the CA of {@code domain}, as its comments tell an admin: the local domain, the
     * response addresses (acme@, acme+*@) and the challenges' envelope sender. The DKIM key stays to be set.
     */
    public static void caDomain(Path conf, String domain) throws IOException {
        domain(conf, "ca.example", domain);
        Path mailets = conf.resolve("mailetcontainer.xml");
        replaceOnce(mailets, "IsAcmeResponse=acme@ca.example, acme+*@ca.example",
                "IsAcmeResponse=acme@" + domain + ", acme+*@" + domain);
        replaceOnce(mailets, "<matcher match=\"SenderHostIs=ca.example\"/>", "<matcher match=\"SenderHostIs=" + domain + "\"/>");
    }

    /** The shipped domain of domainlist.xml replaced by {@code domain}. */
    private static void domain(Path conf, String shipped, String domain) throws IOException {
        Path domains = conf.resolve("domainlist.xml");
        replaceOnce(domains, "<domainname>" + shipped + "</domainname>", "<domainname>" + domain + "</domainname>");
        replaceOnce(domains, "<defaultDomain>" + shipped + "</defaultDomain>", "<defaultDomain>" + domain + "</defaultDomain>");
    }

    /** SMTP, IMAP and WebAdmin on loopback ports of their own instead of the shipped 2525, 1143 and 8001. */
    private static void bind(Path conf, int smtp, int imap, int webAdmin) throws IOException {
        replaceOnce(conf.resolve("smtpserver.xml"), "<bind>127.0.0.1:2525</bind>", "<bind>127.0.0.1:" + smtp + "</bind>");
        replaceOnce(conf.resolve("imapserver.xml"), "<bind>127.0.0.1:1143</bind>", "<bind>127.0.0.1:" + imap + "</bind>");
        replaceOnce(conf.resolve("webadmin.properties"), "\nport=8001\n", "\nport=" + webAdmin + "\n");
    }

    /** The shipped test-ca.properties with each overridden key's line replaced (a commented example too), or appended. */
    static void testCa(Path repo, Path file, Map<String, String> overrides) throws IOException {
        Map<String, String> left = new LinkedHashMap<>(overrides);
        List<String> out = new ArrayList<>();
        Pattern key = Pattern.compile("^#?([a-zA-Z][\\w.-]*)=");
        for (String line : Files.readAllLines(repo.resolve("conf/test-ca/test-ca.properties"))) {
            Matcher m = key.matcher(line);
            out.add(m.find() && left.containsKey(m.group(1)) ? m.group(1) + "=" + left.remove(m.group(1)) : line);
        }
        left.forEach((k, v) -> out.add(k + "=" + v));
        Files.write(file, out);
    }

    /** Settings as lines of a properties file. */
    static String lines(Map<String, String> settings) {
        StringBuilder lines = new StringBuilder();
        settings.forEach((k, v) -> lines.append(k).append('=').append(v).append('\n'));
        return lines.toString();
    }

    /** Copies the folder {@code from} (a shipped configuration) with its subfolders to {@code to}. */
    public static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private static void replaceOnce(Path file, String shipped, String replacement) throws IOException {
        String text = Files.readString(file);
        int at = text.indexOf(shipped);
        if (at < 0 || text.indexOf(shipped, at + 1) >= 0) {
            throw new IOException(file.getFileName() + " no longer has exactly one '" + shipped
                    + "'; the demo must be updated with the shipped configuration");
        }
        Files.writeString(file, text.substring(0, at) + replacement + text.substring(at + shipped.length()));
    }
}
