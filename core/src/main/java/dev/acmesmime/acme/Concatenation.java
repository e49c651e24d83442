package dev.acmesmime.acme;

/**
 * How the CA joins token-part1 and token-part2 before hashing ({@code enrolment.profile.<name>.concatenation});
 * the responder computes the digest the CA of the profile expects.
 *
 * @see dev.acmesmime.rfc8823.KeyAuthorization
 */
public enum Concatenation {
    /** The two base64url strings joined as text, per RFC 8555 §8.1 (the default). */
    STRING,
    /** The decoded octets of both parts joined, then re-encoded: the byte reading some CAs use. */
    BYTES
}
