package dev.acmesmime.acme;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a call to the CA failed: the CA's problem document (RFC 8555 §6.7), or a problem the client found
 * itself. A type starting with {@value #ACME_ERROR_PREFIX} came from the CA; the short types below
 * ({@value #CONNECTION}, {@value #UNSUPPORTED_CHALLENGE}, ...) are the client's own.
 *
 * @param type       the problem type, e.g. {@code urn:ietf:params:acme:error:rateLimited} or {@value #CONNECTION}
 * @param detail     human-readable detail, as the CA wrote it (never a secret)
 * @param httpStatus the HTTP status of the CA's answer, 0 when there was none
 * @param retryAfter when the CA asks to be asked again (Retry-After, RFC 8555 §6.6)
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-6.7">RFC 8555 §6.7</a>
 */
public record CaProblem(String type, String detail, int httpStatus, Optional<Instant> retryAfter) {
    public static final String ACME_ERROR_PREFIX = "urn:ietf:params:acme:error:";
    /** The CA could not be reached, or the exchange broke off: retry later. */
    public static final String CONNECTION = "connection";
    /** The CA offers no {@code email-reply-00} challenge for the identifier. */
    public static final String UNSUPPORTED_CHALLENGE = "unsupportedChallenge";
    /** The CA has terms of service and the profile does not agree to them. */
    public static final String TERMS_NOT_AGREED = "termsOfServiceNotAgreed";
    /** The CA's answer broke RFC 8555 (acme4j's {@code AcmeProtocolException}). */
    public static final String PROTOCOL = "protocol";
    /** The order has no certificate, or the CA lacks a resource the call needs. */
    public static final String NOT_AVAILABLE = "notAvailable";

    public CaProblem {
        Objects.requireNonNull(type, "type");
        detail = detail == null ? "" : detail;
        Objects.requireNonNull(retryAfter, "retryAfter");
    }

    /** A problem of the client's own, with no HTTP answer behind it. */
    public static CaProblem client(String type, String detail) {
        return new CaProblem(type, detail, 0, Optional.empty());
    }

    /** The CA's {@code urn:ietf:params:acme:error:<name>} type. */
    public static String acmeType(String name) {
        return ACME_ERROR_PREFIX + name;
    }

    /** Whether the type is the CA's {@code urn:ietf:params:acme:error:<name>}. */
    public boolean is(String acmeErrorName) {
        return type.equals(acmeType(acmeErrorName));
    }

    /**
     * Whether asking again later can succeed: connection trouble, rate limits, the CA's own trouble
     * ({@code serverInternal}, {@code badNonce}) or any 5xx. Other problems need a change first.
     */
    public boolean retryable() {
        return type.equals(CONNECTION) || is("rateLimited") || is("serverInternal") || is("badNonce")
                || httpStatus >= 500;
    }

    @Override
    public String toString() {
        return type + (httpStatus > 0 ? " (" + httpStatus + ")" : "") + ": " + detail
                + retryAfter.map(t -> ", retry after " + t).orElse("");
    }
}
