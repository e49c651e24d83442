package dev.acmesmime.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the renewal scenarios of {@link EnrolmentChain} look at: stored certificates, the test CA's orders. */
final class Renewals {

    private Renewals() {
    }

    /** The leaf of the mailbox's stored certificate (WebAdmin {@code …/certificate}). */
    static X509Certificate leaf(EnrolmentChain chain, String mailbox) throws Exception {
        return TrustedHttp.certificates(chain.certificatePem(mailbox)).get(0);
    }

    /** Waits until the stored certificate has another serial than {@code previous}; the new leaf. */
    static X509Certificate awaitAnother(EnrolmentChain chain, String mailbox, X509Certificate previous,
                                        Duration within) {
        return await().atMost(within).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> leaf(chain, mailbox), c -> !c.getSerialNumber().equals(previous.getSerialNumber()));
    }

    /**
     * The {@code replaces} of each of the mailbox's orders as the test CA logged them ({@code newOrder …
     * identifiers=[<mailbox>] replaces=<certID>|none}), oldest first.
     */
    static List<String> orderReplaces(EnrolmentChain chain, String mailbox) throws Exception {
        Matcher m = Pattern.compile("newOrder account=\\S+ order=\\S+ identifiers=\\[" + Pattern.quote(mailbox)
                + "\\] replaces=(\\S+)").matcher(chain.ca.output());
        List<String> replaces = new ArrayList<>();
        while (m.find()) {
            replaces.add(m.group(1));
        }
        return replaces;
    }

    /** Moves a certificate's ARI window ({@code POST /set-renewal-info/} on the test CA's management port). */
    static void moveWindow(EnrolmentChain chain, String certId, Instant start, Instant end) throws Exception {
        String body = EnrolmentChain.JSON.createObjectNode().put("certID", certId).put("start", start.toString())
                .put("end", end.toString()).toString();
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        chain.management("/set-renewal-info/")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("set-renewal-info: %s", r.body()).isEqualTo(200);
    }
}
