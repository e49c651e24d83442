package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * ACME Renewal Information (RFC 9773): {@code GET <renewalInfo>/<certID>} answers
 * {@code {"suggestedWindow":{"start","end"}}} with a Retry-After of {@value #RETRY_AFTER_MINUTES} minutes.
 * The default window runs from 2/3 to 5/6 of the certificate's validity, so a client renews well before
 * expiry; the management port's {@code /set-renewal-info/} replaces it; a revoked certificate's window lies
 * in the past (§4.2: renew now). An unknown certID is 404.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9773#section-4">RFC 9773 §4</a>
 */
public final class RenewalInfo {
    static final long RETRY_AFTER_MINUTES = 60;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final IssuedCertificates certificates;
    private final Clock clock;

    public RenewalInfo(IssuedCertificates certificates, Clock clock) {
        this.certificates = certificates;
        this.clock = clock;
    }

    public void get(Exchange ex) {
        IssuedRecord r = certificates.byCertId(ex.tail()).orElseThrow(() -> Problem.of(ProblemType.NOT_FOUND,
                "no certificate of this CA has the certID " + ex.tail()).exception());
        IssuedRecord.Window w = window(r, clock.instant());
        ObjectNode o = JSON.createObjectNode();
        o.putObject("suggestedWindow").put("start", w.start().toString()).put("end", w.end().toString());
        ex.retryAfter(Duration.ofMinutes(RETRY_AFTER_MINUTES)).json(200, o);
    }

    /** The window to suggest for a certificate now. */
    static IssuedRecord.Window window(IssuedRecord r, Instant now) {
        if (r.revoked()) {
            return new IssuedRecord.Window(now.minus(Duration.ofHours(1)), now.minusSeconds(1));
        }
        if (r.window().isPresent()) {
            return r.window().get();
        }
        X509Certificate leaf = r.certificate().leaf();
        Instant from = leaf.getNotBefore().toInstant();
        Duration life = Duration.between(from, leaf.getNotAfter().toInstant());
        return new IssuedRecord.Window(from.plus(life.multipliedBy(2).dividedBy(3)),
                from.plus(life.multipliedBy(5).dividedBy(6)));
    }
}
