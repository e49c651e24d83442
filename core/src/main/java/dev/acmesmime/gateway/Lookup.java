package dev.acmesmime.gateway;

import java.util.Objects;
import java.util.Optional;

/**
 * The answer of a {@link CertificateDirectory} lookup: the value when it is usable now, otherwise the
 * code and one-line reason why not (G2).
 */
public record Lookup<T>(Optional<T> value, GatewayCode code, String reason) {

    public Lookup {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
    }

    public static <T> Lookup<T> found(T value) {
        return new Lookup<>(Optional.of(value), GatewayCode.SIGNED, "usable");
    }

    public static <T> Lookup<T> missing(GatewayCode code, String reason) {
        return new Lookup<>(Optional.empty(), code, reason);
    }

    public boolean found() {
        return value.isPresent();
    }
}
