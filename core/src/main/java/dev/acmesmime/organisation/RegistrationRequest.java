package dev.acmesmime.organisation;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import dev.acmesmime.rfc8823.Mailboxes;
import dev.acmesmime.store.PendingChallenge;
import dev.acmesmime.store.PendingChallengeStore;
import dev.acmesmime.store.RecordLimits;

/**
 * A pending challenge as a caller asks to register it, field by field as received (WebAdmin JSON,
 * later the enrolment service), checked once here before it reaches the
 * {@link PendingChallengeStore}: every caller accepts and refuses the same registrations, with the
 * same messages. The responder later trusts what the store holds (C20), so nothing unchecked may
 * get in.
 *
 * @param mailbox           the mailbox the challenge mail will reach
 * @param from              the challenge object's {@code from}: the address the challenge mail comes from (C9)
 * @param tokenPart2        the challenge object's {@code token}, base64url (RFC 8823 §3 step 1)
 * @param accountThumbprint the account key's JWK thumbprint: base64url SHA-256 (RFC 7638), 43 characters
 * @param challengeUrl      the ACME challenge URL: absolute http(s), at most 2048 characters
 * @param expires           an ISO-8601 instant in the future (C20: an expired challenge is never answered)
 */
public record RegistrationRequest(String mailbox, String from, String tokenPart2, String accountThumbprint,
                                  String challengeUrl, String expires) {

    /** Longest token-part2 accepted: real ones are 22..86 characters; the cap keeps junk out of the store. */
    static final int MAX_TOKEN_PART2 = 1000;
    static final int MAX_CHALLENGE_URL = 2048;
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+={0,2}");
    private static final Pattern THUMBPRINT = Pattern.compile("[A-Za-z0-9_-]{43}");

    /** A registration refused: the message names the field, as {@code 'field' must be ...}. */
    public static final class InvalidRegistrationException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        InvalidRegistrationException(String message) {
            super(message);
        }
    }

    /**
     * The registration to store, each field checked in the order listed above.
     *
     * @param now the instant {@code expires} must follow
     * @throws InvalidRegistrationException naming the first field that is missing or invalid
     */
    public PendingChallenge.Registration validate(Instant now) {
        String box = mailbox(mailbox, "mailbox");
        String sender = mailbox(required(from, "from"), "from");
        String part2 = required(tokenPart2, "tokenPart2");
        if (part2.length() > MAX_TOKEN_PART2 || !BASE64URL.matcher(part2).matches()) {
            throw new InvalidRegistrationException("'tokenPart2' must be base64url");
        }
        String thumbprint = required(accountThumbprint, "accountThumbprint");
        if (!THUMBPRINT.matcher(thumbprint).matches()) {
            throw new InvalidRegistrationException(
                    "'accountThumbprint' must be the base64url SHA-256 JWK thumbprint (43 characters)");
        }
        URI url = url(required(challengeUrl, "challengeUrl"));
        Instant expiresAt = expiry(required(expires, "expires"));
        if (!expiresAt.isAfter(now)) {
            throw new InvalidRegistrationException("'expires' must be in the future");
        }
        return new PendingChallenge.Registration(url, box, sender, part2, thumbprint, expiresAt);
    }

    /**
     * A mailbox in the form the store keys by ({@link Mailboxes#normalize}, X20).
     *
     * @param field the name the message gives it
     * @throws InvalidRegistrationException when missing or not {@code local@domain}
     */
    public static String mailbox(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidRegistrationException("'" + field + "' is required");
        }
        String normalized;
        try {
            normalized = Mailboxes.normalize(value);
        } catch (IllegalArgumentException e) {
            throw new InvalidRegistrationException("'" + field + "' is not a mailbox (local@domain)");
        }
        // RFC 5321 §4.5.3.1 allows far less; the store's column is the hard bound (found by fuzzing: a 500)
        if (normalized.length() > RecordLimits.ADDRESS) {
            throw new InvalidRegistrationException("'" + field + "' is longer than " + RecordLimits.ADDRESS
                    + " characters");
        }
        return normalized;
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new InvalidRegistrationException("'" + field + "' is required");
        }
        return value.trim();
    }

    private static URI url(String value) {
        URI url;
        try {
            url = new URI(value);
        } catch (URISyntaxException e) {
            throw new InvalidRegistrationException("'challengeUrl' is not a URL");
        }
        String scheme = url.getScheme();
        if (!url.isAbsolute() || url.getHost() == null || value.length() > MAX_CHALLENGE_URL
                || !("https".equals(scheme) || "http".equals(scheme))) {
            throw new InvalidRegistrationException("'challengeUrl' must be an absolute http(s) URL of at most "
                    + MAX_CHALLENGE_URL + " characters");
        }
        return url;
    }

    private static Instant expiry(String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRegistrationException("'expires' must be an ISO-8601 instant such as 2026-12-01T10:00:00Z");
        }
    }
}
