package dev.acmesmime.testca.acme;

/**
 * The ACME error types (RFC 8555 §6.7, {@code urn:ietf:params:acme:error:*}) this server answers with, each
 * with the HTTP status it goes out with (RFC 8555 §6.7 leaves most to the server; Pebble's choices are kept:
 * 403 for refusals of an authenticated request, 404 for what does not exist, 429 for rate limits).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-6.7">RFC 8555 §6.7</a>
 */
public enum ProblemType {
    BAD_NONCE("badNonce", 400),
    MALFORMED("malformed", 400),
    UNAUTHORIZED("unauthorized", 403),
    ACCOUNT_DOES_NOT_EXIST("accountDoesNotExist", 400),
    EXTERNAL_ACCOUNT_REQUIRED("externalAccountRequired", 400),
    REJECTED_IDENTIFIER("rejectedIdentifier", 400),
    UNSUPPORTED_IDENTIFIER("unsupportedIdentifier", 400),
    BAD_CSR("badCSR", 400),
    INCORRECT_RESPONSE("incorrectResponse", 403),
    RATE_LIMITED("rateLimited", 429),
    ORDER_NOT_READY("orderNotReady", 403),
    ALREADY_REVOKED("alreadyRevoked", 400),
    BAD_REVOCATION_REASON("badRevocationReason", 400),
    BAD_SIGNATURE_ALGORITHM("badSignatureAlgorithm", 400),
    BAD_PUBLIC_KEY("badPublicKey", 400),
    CAA("caa", 403),
    INVALID_CONTACT("invalidContact", 400),
    UNSUPPORTED_CONTACT("unsupportedContact", 400),
    USER_ACTION_REQUIRED("userActionRequired", 403),
    SERVER_INTERNAL("serverInternal", 500),
    /** Not an ACME type of its own: "malformed" with 404, for a resource that does not exist. */
    NOT_FOUND("malformed", 404),
    /** "malformed" with 405: a GET on a resource that only answers POST-as-GET (RFC 8555 §6.3). */
    METHOD_NOT_ALLOWED("malformed", 405),
    /** "malformed" with 415: a POST whose Content-Type is not application/jose+json (RFC 8555 §6.2). */
    UNSUPPORTED_MEDIA_TYPE("malformed", 415);

    private static final String PREFIX = "urn:ietf:params:acme:error:";

    private final String name;
    private final int status;

    ProblemType(String name, int status) {
        this.name = name;
        this.status = status;
    }

    /** The absolute type URI, e.g. {@code urn:ietf:params:acme:error:badNonce}. */
    public String uri() {
        return PREFIX + name;
    }

    /** The HTTP status this type goes out with. */
    public int status() {
        return status;
    }
}
