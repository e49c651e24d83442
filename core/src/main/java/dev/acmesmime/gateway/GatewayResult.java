package dev.acmesmime.gateway;

import java.util.Objects;
import java.util.Optional;

/**
 * The verdict of one gateway operation: its {@link GatewayCode}, one line of reason an admin can
 * read (never a key or a secret), and the new message bytes when the mail was changed.
 *
 * @param code    what was done, or why nothing was
 * @param reason  one line for the header, the attribute and the log
 * @param message the whole new message (header and body) when {@code code.done()} changed the mail;
 *                empty otherwise, and the mail passes unchanged
 */
public record GatewayResult(GatewayCode code, String reason, Optional<byte[]> message) {

    public GatewayResult {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    /** The mail was changed into {@code newMessage}. */
    public static GatewayResult changed(GatewayCode code, String reason, byte[] newMessage) {
        return new GatewayResult(code, reason, Optional.of(newMessage));
    }

    /** Nothing was changed, for {@code reason}. */
    public static GatewayResult unchanged(GatewayCode code, String reason) {
        return new GatewayResult(code, reason, Optional.empty());
    }
}
