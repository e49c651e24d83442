package dev.acmesmime.ca.forward;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

import dev.acmesmime.store.SecretBytes;

/**
 * Where and how results go to the CA's ACME server. Read from the plugin's settings file
 * ({@code conf/acme-smime.properties}) by {@link #fromProperties}:
 * <table>
 * <caption>forward settings</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>{@value #URL}</td><td>(mandatory)</td><td>the endpoint, {@code https://} (or {@code http://} on loopback only)</td></tr>
 * <tr><td>{@value #CONTRACT}</td><td>{@code native}</td><td>{@code native}, {@code akamu} or {@code raw}</td></tr>
 * <tr><td>{@value #SECRET_FILE}</td><td>(mandatory)</td><td>file holding the HMAC key (native, akamu) or the bearer token (raw); trailing line breaks are ignored</td></tr>
 * <tr><td>{@value #KEY_ID}</td><td>{@code default}</td><td>the native contract's key id</td></tr>
 * <tr><td>{@value #TRUST_STORE}</td><td>(none)</td><td>an extra PKCS#12 trust store, trusted besides the JDK's CAs</td></tr>
 * <tr><td>{@value #TRUST_STORE_PASSWORD_FILE}</td><td>(none)</td><td>file holding its password</td></tr>
 * <tr><td>{@value #TIMEOUT_SECONDS}</td><td>{@value #DEFAULT_TIMEOUT_SECONDS}</td><td>connect, read and write timeout of one attempt</td></tr>
 * </table>
 * Secrets are read from files so they stay out of James's XML and out of every log line.
 */
public record ForwardTarget(String name, ForwardContract contract, URI url, SecretBytes secret, String keyId,
                            Optional<Path> trustStore, Optional<SecretBytes> trustStorePassword, Duration timeout) {

    public static final String URL = "forward.url";
    public static final String CONTRACT = "forward.contract";
    public static final String SECRET_FILE = "forward.secretFile";
    public static final String KEY_ID = "forward.keyId";
    public static final String TRUST_STORE = "forward.trustStore";
    public static final String TRUST_STORE_PASSWORD_FILE = "forward.trustStorePasswordFile";
    public static final String TIMEOUT_SECONDS = "forward.timeoutSeconds";
    public static final int DEFAULT_TIMEOUT_SECONDS = 10;
    /** The outbox destination name of the configured target. */
    public static final String DEFAULT_NAME = "acme-server";

    public ForwardTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(trustStorePassword, "trustStorePassword");
        Objects.requireNonNull(timeout, "timeout");
        String scheme = String.valueOf(url.getScheme()).toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && isLoopback(url.getHost()))) {
            throw new IllegalArgumentException(URL + ": '" + url + "' must be https (http only on loopback)");
        }
    }

    private static boolean isLoopback(String host) {
        return host != null && (host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]")
                || host.equals("::1"));
    }

    /**
     * Reads the target from the settings, with relative paths resolved against {@code home}.
     *
     * @throws IllegalArgumentException with a message that starts with the key at fault
     */
    public static ForwardTarget fromProperties(Properties p, Path home) {
        String url = required(p, URL);
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(URL + ": '" + url + "' is not a URL", e);
        }
        ForwardContract contract;
        try {
            contract = ForwardContract.fromOption(p.getProperty(CONTRACT, ForwardContract.NATIVE.option()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CONTRACT + ": " + e.getMessage(), e);
        }
        SecretBytes secret = readSecret(home.resolve(required(p, SECRET_FILE).trim()), SECRET_FILE);
        String keyId = p.getProperty(KEY_ID, "default").trim();
        if (keyId.isEmpty() || keyId.length() > 64 || !keyId.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(KEY_ID + ": '" + keyId + "' must be 1..64 of A-Z a-z 0-9 . _ -");
        }
        Optional<Path> trustStore = Optional.ofNullable(p.getProperty(TRUST_STORE)).map(String::trim)
                .filter(s -> !s.isEmpty()).map(home::resolve);
        trustStore.ifPresent(t -> {
            if (!Files.isReadable(t)) {
                throw new IllegalArgumentException(TRUST_STORE + ": cannot read " + t);
            }
        });
        Optional<SecretBytes> password = Optional.ofNullable(p.getProperty(TRUST_STORE_PASSWORD_FILE))
                .map(String::trim).filter(s -> !s.isEmpty())
                .map(f -> readSecret(home.resolve(f), TRUST_STORE_PASSWORD_FILE));
        int timeout;
        try {
            timeout = Integer.parseInt(p.getProperty(TIMEOUT_SECONDS, String.valueOf(DEFAULT_TIMEOUT_SECONDS)).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(TIMEOUT_SECONDS + ": not a number", e);
        }
        if (timeout < 1 || timeout > 300) {
            throw new IllegalArgumentException(TIMEOUT_SECONDS + ": must be 1..300");
        }
        return new ForwardTarget(DEFAULT_NAME, contract, uri, secret, keyId, trustStore, password,
                Duration.ofSeconds(timeout));
    }

    /** {@code true} when the settings name a forward target at all. */
    public static boolean configured(Properties p) {
        String url = p.getProperty(URL);
        return url != null && !url.isBlank();
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(key + " is mandatory");
        }
        return v;
    }

    private static SecretBytes readSecret(Path file, String key) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (s.isEmpty()) {
                throw new IllegalArgumentException(key + ": " + file + " is empty");
            }
            return SecretBytes.of(s.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException(key + ": cannot read " + file, e);
        }
    }

    @Override
    public String toString() {
        return "ForwardTarget[" + name + ", " + contract.option() + ", " + url + ", keyId=" + keyId + ", secret=redacted]";
    }
}
