package dev.acmesmime.testca;

import java.net.URI;
import java.nio.file.Path;

/**
 * A running test CA: the ACME server (RFC 8555 + RFC 8823 {@code email-reply-00}) and its management
 * port. Test-only by design: state is in memory, keys are generated at start, and faults can be injected.
 * <p>
 * Endpoints on the ACME port ({@link #directory()} lists the RFC 8555 ones):
 * <ul>
 *   <li>{@code POST /acme/mail-result}: results from the CA-role James's forwarder, in the native contract
 *       (HMAC-checked, see {@code dev.acmesmime.ca.forward.NativeSignatureVerifier}).</li>
 * </ul>
 * Endpoints on the management port (127.0.0.1 only), like Pebble's:
 * <ul>
 *   <li>{@code GET /roots/0}, {@code GET /intermediates/0}: PEM;</li>
 *   <li>{@code GET /cert-status-by-serial/<hex serial>}: JSON {@code {"serial","status":"valid|revoked",
 *       "notBefore","notAfter","revocationReason"?}}, 404 if unknown;</li>
 *   <li>{@code POST /set-renewal-info/} with {@code {"certID","start","end"}} (RFC 3339): moves a
 *       certificate's ARI window (RFC 9773);</li>
 *   <li>{@code GET /stats}: JSON counts {@code {"accounts","orders","certificates","challengeMails",
 *       "delayedRequests","delayedRequestsMax"}} (the last two: ACME requests waiting out
 *       {@code fault.requestDelay} now and the most at once, more than 1 when a client's requests overlap).</li>
 * </ul>
 */
public interface TestCa extends AutoCloseable {

    /** Starts a test CA; returns when both ports serve. */
    static TestCa start(TestCaSettings settings) {
        return dev.acmesmime.testca.acme.AcmeServer.start(settings);
    }

    /** The RFC 8555 directory URL, e.g. {@code https://localhost:14000/dir}. */
    URI directory();

    /** Where the CA-role James forwards results ({@code forward.url}), on the ACME port. */
    URI resultUrl();

    /** The management port's base URL, e.g. {@code http://127.0.0.1:15000}. */
    URI management();

    /** {@code dataDir/root.pem}. */
    Path rootPem();

    /** {@code dataDir/tls.pem} (the TLS certificate, PEM) when {@code tls=true}. */
    Path tlsPem();

    @Override
    void close();
}
