package dev.acmesmime.rfc8823;

import java.util.Optional;

/**
 * The values read from an RFC 8823 mail. Every field is {@code null} when absent or unreadable;
 * use the {@code Optional} accessors in new code.
 *
 * @param tokenPart1 token-part1 from the Subject, exactly as sent (padding kept, whitespace removed, C5)
 * @param from       the single From address (addr-spec, no display name)
 * @param to         the first To address
 * @param replyTo    the first Reply-To address
 * @param messageId  Message-ID including angle brackets
 * @param inReplyTo  In-Reply-To including angle brackets
 * @param references References, unfolded
 * @param digest     the digest from the response block, whitespace removed, as received (padding kept)
 */
public record ExtractedValues(String tokenPart1, String from, String to, String replyTo, String messageId,
                              String inReplyTo, String references, String digest) {

    public static final ExtractedValues NONE = new ExtractedValues(null, null, null, null, null, null, null, null);

    public Optional<String> tokenPart1Value() {
        return Optional.ofNullable(tokenPart1);
    }

    public Optional<String> fromValue() {
        return Optional.ofNullable(from);
    }

    public Optional<String> digestValue() {
        return Optional.ofNullable(digest);
    }

    /** Where a response to this challenge goes (R4): Reply-To when present, else From. */
    public Optional<String> responseRecipient() {
        return Optional.ofNullable(replyTo != null ? replyTo : from);
    }
}
