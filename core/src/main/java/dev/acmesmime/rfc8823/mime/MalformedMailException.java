package dev.acmesmime.rfc8823.mime;

/**
 * The bytes cannot be read as a message within the limits of {@link MailParser}. Carries a
 * one-line reason; used only inside the engine, which turns it into a {@code malformed} check.
 */
public final class MalformedMailException extends Exception {

    public MalformedMailException(String reason) {
        super(reason, null, false, false);
    }
}
