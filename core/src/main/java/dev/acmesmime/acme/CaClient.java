package dev.acmesmime.acme;

import java.net.URI;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The enrolment engine's view of one CA profile's ACME server: each method is one protocol step, so the
 * engine decides which step to take, when, and stores what it learned between steps. Every URL it gets
 * back can be stored and passed again after a restart.
 * <p>
 * Implementations are thread-safe. Every method throws {@link CaException} on failure.
 *
 * @see AcmeCaClient
 */
public interface CaClient {
    /** Finds the profile's account, or creates it (with External Account Binding when the profile has it). */
    CaAccount account();

    /**
     * A new order for an {@code email} identifier (RFC 8823 §3 step 1) and its {@code email-reply-00}
     * challenge.
     *
     * @param mailbox        the address to certify
     * @param replacesCertId on renewal, the ARI certificate id of the certificate the new one replaces
     *                       (RFC 9773 §5); ignored when the CA has no renewal information
     */
    PlacedOrder placeOrder(String mailbox, Optional<String> replacesCertId);

    /**
     * Reads a placed order's challenge again (RFC 8555 §7.1.3, §7.1.4): what {@link #placeOrder} returned, for
     * an engine that stored only the URLs and restarted before it registered the challenge.
     */
    PlacedOrder placedOrder(URI orderUrl);

    /** Tells the CA the response has been sent: POST {@code {}} to the challenge (RFC 8555 §7.5.1). */
    void trigger(URI challengeUrl);

    /** Polls an order. */
    OrderState order(URI orderUrl);

    /** Finalizes a ready order with an S/MIME CSR for {@code mailbox} and {@code key} (RFC 8555 §7.4). */
    void finalizeOrder(URI orderUrl, String mailbox, KeyPair key);

    /** Downloads the chain, leaf first. */
    List<X509Certificate> certificate(URI certificateUrl);

    /** The CA's renewal window for {@code leaf}; empty when the CA offers no renewal information. */
    Optional<RenewalWindow> renewalInfo(X509Certificate leaf);

    /** Revokes {@code leaf} with the account key (RFC 8555 §7.6). */
    void revoke(X509Certificate leaf);
}
