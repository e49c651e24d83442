package dev.acmesmime.ca.forward;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.acmesmime.store.SecretBytes;

/**
 * Receiver side of the native contract's authentication: checks the key id, that the timestamp
 * lies within the replay window of now, the HMAC ({@link Hmac#nativeSignature}) in constant time,
 * and that the same signature was not seen before within the window. For CA servers written in
 * Java, and for this plugin's tests.
 * <p>
 * A sender that retries signs again with a fresh timestamp, so a retry is not a replay; duplicate
 * deliveries are recognised by the payload's {@code id} instead.
 */
public final class NativeSignatureVerifier {

    /** Why a request was refused; {@link #OK} when it was not. */
    public enum Result {
        OK, MISSING_HEADER, UNKNOWN_KEY, BAD_TIMESTAMP, OUTSIDE_WINDOW, BAD_SIGNATURE, REPLAYED
    }

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);

    private final Map<String, SecretBytes> keys;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Instant> seen = new LinkedHashMap<>();

    private NativeSignatureVerifier(Builder b) {
        this.keys = Map.copyOf(b.keys);
        this.window = b.window;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies one request.
     *
     * @param keyId     the {@value Hmac#KEY_ID_HEADER} header
     * @param timestamp the {@value Hmac#TIMESTAMP_HEADER} header
     * @param signature the {@value Hmac#SIGNATURE_HEADER} header
     * @param body      the request body as received
     */
    public synchronized Result verify(String keyId, String timestamp, String signature, byte[] body) {
        if (keyId == null || timestamp == null || signature == null || body == null) {
            return Result.MISSING_HEADER;
        }
        SecretBytes key = keys.get(keyId);
        if (key == null) {
            return Result.UNKNOWN_KEY;
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            return Result.BAD_TIMESTAMP;
        }
        Instant now = clock.instant();
        Instant sent = Instant.ofEpochSecond(ts);
        if (Duration.between(sent, now).abs().compareTo(window) > 0) {
            return Result.OUTSIDE_WINDOW;
        }
        if (!Hmac.matches(Hmac.nativeSignature(key, ts, body), signature)) {
            return Result.BAD_SIGNATURE;
        }
        forgetOlderThan(now.minus(window));
        String id = keyId + " " + signature.trim();
        if (seen.putIfAbsent(id, sent) != null) {
            return Result.REPLAYED;
        }
        return Result.OK;
    }

    private void forgetOlderThan(Instant limit) {
        for (Iterator<Instant> it = seen.values().iterator(); it.hasNext(); ) {
            if (it.next().isBefore(limit)) {
                it.remove();
            }
        }
    }

    public static final class Builder {
        private final Map<String, SecretBytes> keys = new HashMap<>();
        private Duration window = DEFAULT_WINDOW;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** A key the sender may use, under its id. */
        public Builder key(String keyId, SecretBytes secret) {
            if (keyId == null || keyId.isBlank()) {
                throw new IllegalArgumentException("keyId must not be blank");
            }
            keys.put(keyId, Objects.requireNonNull(secret, "secret"));
            return this;
        }

        /** How far the timestamp may be from now, either way (default 5 minutes). */
        public Builder replayWindow(Duration window) {
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window must be positive");
            }
            this.window = window;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public NativeSignatureVerifier build() {
            if (keys.isEmpty()) {
                throw new IllegalStateException("at least one key is needed");
            }
            return new NativeSignatureVerifier(this);
        }
    }
}
