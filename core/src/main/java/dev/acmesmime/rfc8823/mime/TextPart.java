package dev.acmesmime.rfc8823.mime;

/**
 * A text/plain part that can carry the response block (RFC 8823 §3.2 item 7, R8): the message
 * body itself, or a direct child of a top-level multipart/alternative. Internal, not API.
 *
 * @param text          the body after transfer decoding, read as ISO-8859-1 (the block is ASCII)
 * @param inAlternative {@code true} when it is a child of multipart/alternative
 */
public record TextPart(String text, boolean inAlternative) {
}
