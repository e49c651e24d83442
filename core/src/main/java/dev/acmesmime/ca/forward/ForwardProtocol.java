package dev.acmesmime.ca.forward;

import java.time.Instant;
import java.util.Map;

/**
 * Everything one {@link ForwardContract} decides, in one place: the request body, how the request
 * proves it comes from this CA, and how the ACME server's 2xx answer is read. RFC 8823 leaves this
 * interface open (checklist §6.2 item 7). A new contract is one new implementation, named by a
 * new {@link ForwardContract} constant; each method is abstract, so a contract without its
 * authentication does not compile.
 */
public interface ForwardProtocol {

    /** The body's media type. */
    String contentType();

    /** The request body for {@code r}, as kept in the outbox. */
    byte[] body(ValidatedResponse r);

    /** Non-secret headers kept with the body in the outbox; none unless the contract has some. */
    default Map<String, String> headers(ValidatedResponse r) {
        return Map.of();
    }

    /**
     * The authentication headers for one attempt, computed at send time so that secrets are never
     * stored and a timestamped signature is fresh on each retry. The values are secrets or derived
     * from them: never log them.
     *
     * @param body the exact bytes sent
     * @param now  the attempt's time
     */
    Map<String, String> authentication(ForwardTarget target, byte[] body, Instant now);

    /** Reads a 2xx answer: delivered, with the server's outcome where the contract has one. */
    DeliveryAttempt answer(int status, String answer);
}
