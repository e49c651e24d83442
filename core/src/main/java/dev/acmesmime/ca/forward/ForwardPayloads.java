package dev.acmesmime.ca.forward;




/**
 * Builds the outbox envelope of a {@link ValidatedResponse} with its contract's
 * {@link ForwardProtocol}; authentication headers are added by {@link ForwardClient} at send time.
 */
public final class ForwardPayloads {
    /** Schema of the native body, on the class path beside this class. */
    public static final String NATIVE_SCHEMA = "/dev/acmesmime/ca/forward/native-contract.schema.json";
    /** Version of the native body; changes only when a field changes meaning or goes away. */
    public static final int NATIVE_VERSION = 1;
    /** Native contract: the response is authentic and correlated; the ACME server decides. */
    public static final String NATIVE_EVENT = "response-authenticated";
    public static final String ENVELOPE_FROM_HEADER = "X-Envelope-From";
    public static final String REMOTE_ADDRESS_HEADER = "X-Remote-Address";

    private ForwardPayloads() {
    }

    /** The envelope the outbox keeps for {@code r} under {@code contract}. */
    public static ForwardEnvelope envelope(ForwardContract contract, ValidatedResponse r) {
        ForwardProtocol p = contract.protocol();
        return new ForwardEnvelope(contract, r.id(), p.contentType(), p.body(r), p.headers(r), r.expiresAt(),
                r.identifier(), r.tokenPart1(), r.mail().messageId().orElse(null), r.receivedAt());
    }
}
