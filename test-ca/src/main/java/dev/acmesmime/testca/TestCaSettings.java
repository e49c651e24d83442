package dev.acmesmime.testca;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The test CA's settings, read from one Java properties file; {@code conf/test-ca/test-ca.properties}
 * documents each key. Every value is checked here, at start, and a bad one stops the test CA with a
 * {@link TestCaConfigurationException} that names the key.
 *
 * @param bindAddress       {@code http.address}, default 127.0.0.1
 * @param httpPort          {@code http.port}, default 14000 (Pebble's); 0 picks a free port
 * @param tls               {@code tls}, default true: a certificate for {@code tls.hosts} is generated at
 *                          start and written to {@code dataDir/tls.pem}; false only on a loopback address
 * @param tlsHosts          {@code tls.hosts}, default {@code localhost,127.0.0.1}
 * @param managementPort    {@code management.port}, default 15000; always bound to 127.0.0.1; 0 picks one
 * @param dataDir           {@code dataDir}, where root.pem, intermediate.pem and tls.pem are written
 * @param smtpHost          {@code smtp.host}, the relay the challenge mails are submitted to
 * @param smtpPort          {@code smtp.port}, default 25
 * @param challengeFrom     {@code challenge.from}, the challenge mail's From (RFC 8823 §3 step 3)
 * @param dkim              {@code smtp.dkim.domain|selector|keyFile}: when set, the test CA signs its
 *                          challenge mails itself; otherwise the relay (a CA-role James) signs them
 * @param eab               {@code eab}: off, optional or required (RFC 8555 §7.3.4)
 * @param eabKeys           {@code eab.key.<kid>=<base64url HMAC key>}
 * @param forwardKeyFile    {@code forward.hmacKeyFile}: the native contract's HMAC key shared with the
 *                          CA-role James ({@code forward.secretFile} there)
 * @param forwardKeyId      {@code forward.keyId}, default {@code ca-james-1}, as in conf/ca
 * @param certificateLifetime {@code certificate.lifetime}, default 7d
 * @param ari               {@code ari}, default true: ACME Renewal Information (RFC 9773) is offered;
 *                          false leaves {@code renewalInfo} out of the directory, as a CA without ARI
 * @param challengeLifetime {@code challenge.lifetime}, default and maximum 24h (S/MIME BR §3.2.2.4)
 * @param retryAfter        {@code retryAfter}, default 1s: the Retry-After on pending resources
 * @param ordersPerMinute   {@code rateLimit.ordersPerMinute}, per account; 0 (default) turns it off
 * @param notifyWebadminUrl {@code notify.webadminUrl}: when set, each challenge's facts are POSTed to
 *                          {@code <url>/acme-smime/challenges} of the CA-role James
 * @param caa               {@code caa.*}: the optional CAA issuemail check (RFC 9495)
 * @param faults            {@code fault.*}: fault injection, all off by default
 */
public record TestCaSettings(String bindAddress, int httpPort, boolean tls, String tlsHosts, int managementPort,
                             Path dataDir, String smtpHost, int smtpPort, String challengeFrom,
                             Optional<DkimSettings> dkim, Eab eab, Map<String, byte[]> eabKeys,
                             Optional<Path> forwardKeyFile, String forwardKeyId, Duration certificateLifetime,
                             boolean ari, Duration challengeLifetime, Duration retryAfter, int ordersPerMinute,
                             Optional<String> notifyWebadminUrl, Caa caa, Faults faults) {

    /** The S/MIME BRs let a mailbox validation be used for 24 hours at most (§3.2.2.4). */
    public static final Duration MAX_CHALLENGE_LIFETIME = Duration.ofHours(24);

    /** RFC 8555 §7.3.4 External Account Binding policy. */
    public enum Eab { OFF, OPTIONAL, REQUIRED }

    /** The test CA's own DKIM signing of its challenge mails (RFC 8823 §3 step 4 leaves the how open). */
    public record DkimSettings(String domain, String selector, Path keyFile) {
    }

    /** RFC 9495 CAA {@code issuemail} check; {@code dnsServer} is host:port, empty for the system's. */
    public record Caa(boolean check, String identity, Optional<String> dnsServer) {
    }

    /**
     * Fault injection, in Pebble's spirit: each one makes clients meet what real CAs do on bad days.
     *
     * @param nonceRejectPercent {@code fault.nonceRejectPercent}: share of valid nonces answered badNonce
     * @param challengeMailDelay {@code fault.challengeMailDelay}: random delay up to this before the mail
     * @param validationDelay    {@code fault.validationDelay}: random delay up to this before "valid"
     * @param oddTokenLength     {@code fault.oddTokenLength}: token-part1 of a length that is not a whole
     *                           number of 3-byte groups, so the two concatenation readings differ (X1, X2)
     * @param responseOnlyAfterPost {@code fault.responseOnlyAfterPost}: like CAs that look for the response
     *                           only when the client POSTs: if it is not there within this time after the
     *                           POST, the challenge is invalid for good; zero: no such deadline
     * @param requestDelay       {@code fault.requestDelay}: this long before each answer of the ACME port, like
     *                           a distant or busy CA, so that a client's concurrent requests are seen overlapping
     */
    public record Faults(int nonceRejectPercent, Duration challengeMailDelay, Duration validationDelay,
                         boolean oddTokenLength, Duration responseOnlyAfterPost, Duration requestDelay) {
        public static final Faults NONE = new Faults(0, Duration.ZERO, Duration.ZERO, false, Duration.ZERO,
                Duration.ZERO);
    }

    public TestCaSettings {
        eabKeys = Map.copyOf(eabKeys);
    }

    /** Reads and checks the file; relative paths in it are resolved against the file's folder. */
    public static TestCaSettings load(Path file) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new TestCaConfigurationException("cannot read " + file + ": " + e.getMessage());
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(p, base);
    }

    /** Checks the properties; relative paths are resolved against {@code base}. */
    public static TestCaSettings parse(Properties p, Path base) {
        Reader r = new Reader(p, base);
        String address = r.string("http.address", "127.0.0.1");
        boolean tls = r.bool("tls", true);
        if (!tls && !isLoopback(address)) {
            throw new TestCaConfigurationException("tls: false is allowed only when http.address is a loopback "
                    + "address, not " + address);
        }
        Eab eab = r.choice("eab", Eab.class, Eab.OFF);
        Map<String, byte[]> keys = r.eabKeys();
        if (eab != Eab.OFF && keys.isEmpty()) {
            throw new TestCaConfigurationException("eab: " + eab.name().toLowerCase(Locale.ROOT)
                    + " needs at least one eab.key.<kid>");
        }
        Duration challengeLifetime = r.duration("challenge.lifetime", MAX_CHALLENGE_LIFETIME);
        if (challengeLifetime.compareTo(MAX_CHALLENGE_LIFETIME) > 0 || challengeLifetime.isZero()) {
            throw new TestCaConfigurationException("challenge.lifetime: at most 24h (S/MIME BR 3.2.2.4), not "
                    + challengeLifetime);
        }
        return new TestCaSettings(address, r.port("http.port", 14000), tls, r.string("tls.hosts",
                "localhost,127.0.0.1"), r.port("management.port", 15000), r.path("dataDir", "var/test-ca"),
                r.string("smtp.host", "127.0.0.1"), r.port("smtp.port", 25),
                r.string("challenge.from", "acme-challenge@ca.test"), r.dkim(), eab, keys,
                r.optionalPath("forward.hmacKeyFile"), r.string("forward.keyId", "ca-james-1"),
                r.positiveDuration("certificate.lifetime", Duration.ofDays(7)), r.bool("ari", true),
                challengeLifetime, r.duration("retryAfter", Duration.ofSeconds(1)), r.integer("rateLimit.ordersPerMinute", 0, 0,
                1_000_000), r.optional("notify.webadminUrl"), r.caa(), r.faults());
    }

    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Typed reads with the key in every message. */
    private record Reader(Properties p, Path base) {
        Optional<String> optional(String key) {
            String v = p.getProperty(key);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        String string(String key, String fallback) {
            return optional(key).orElse(fallback);
        }

        boolean bool(String key, boolean fallback) {
            String v = string(key, Boolean.toString(fallback)).toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw new TestCaConfigurationException(key + ": true or false, not " + v);
            }
            return Boolean.parseBoolean(v);
        }

        int integer(String key, int fallback, int min, int max) {
            String v = string(key, Integer.toString(fallback));
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // reported below, with the range
            }
            throw new TestCaConfigurationException(key + ": a whole number from " + min + " to " + max + ", not "
                    + v);
        }

        int port(String key, int fallback) {
            return integer(key, fallback, 0, 65_535);
        }

        <E extends Enum<E>> E choice(String key, Class<E> type, E fallback) {
            String v = string(key, fallback.name()).toUpperCase(Locale.ROOT);
            try {
                return Enum.valueOf(type, v);
            } catch (IllegalArgumentException e) {
                throw new TestCaConfigurationException(key + ": one of " + java.util.Arrays.toString(
                        type.getEnumConstants()).toLowerCase(Locale.ROOT) + ", not " + v.toLowerCase(Locale.ROOT));
            }
        }

        /** {@code 7d}, {@code 12h}, {@code 30m}, {@code 5s}, {@code 250ms}, or ISO-8601 ({@code PT5M}). */
        Duration duration(String key, Duration fallback) {
            Optional<String> v = optional(key);
            if (v.isEmpty()) {
                return fallback;
            }
            Duration d = Durations.parse(v.get());
            if (d == null || d.isNegative()) {
                throw new TestCaConfigurationException(key + ": a duration such as 7d, 12h, 30m, 5s or 250ms, not "
                        + v.get());
            }
            return d;
        }

        Duration positiveDuration(String key, Duration fallback) {
            Duration d = duration(key, fallback);
            if (d.isZero()) {
                throw new TestCaConfigurationException(key + ": must be longer than zero");
            }
            return d;
        }

        Path path(String key, String fallback) {
            return base.resolve(string(key, fallback)).normalize();
        }

        Optional<Path> optionalPath(String key) {
            return optional(key).map(v -> base.resolve(v).normalize());
        }

        Map<String, byte[]> eabKeys() {
            Map<String, byte[]> keys = new TreeMap<>();
            for (String name : p.stringPropertyNames()) {
                if (name.startsWith("eab.key.")) {
                    String kid = name.substring("eab.key.".length());
                    String value = p.getProperty(name).trim();
                    byte[] key;
                    try {
                        key = Base64.getUrlDecoder().decode(value);
                    } catch (IllegalArgumentException e) {
                        key = new byte[0];
                    }
                    if (kid.isEmpty() || key.length < 16) {
                        // the key itself is a secret: say what is wrong without echoing it
                        throw new TestCaConfigurationException(name + ": a base64url HMAC key of at least 16 bytes");
                    }
                    keys.put(kid, key);
                }
            }
            return keys;
        }

        Optional<DkimSettings> dkim() {
            Optional<String> domain = optional("smtp.dkim.domain");
            Optional<String> selector = optional("smtp.dkim.selector");
            Optional<Path> keyFile = optionalPath("smtp.dkim.keyFile");
            if (domain.isEmpty() && selector.isEmpty() && keyFile.isEmpty()) {
                return Optional.empty();
            }
            if (domain.isEmpty() || selector.isEmpty() || keyFile.isEmpty()) {
                throw new TestCaConfigurationException("smtp.dkim.domain, smtp.dkim.selector and smtp.dkim.keyFile "
                        + "go together: set all three or none");
            }
            if (!Files.isReadable(keyFile.get())) {
                throw new TestCaConfigurationException("smtp.dkim.keyFile: " + keyFile.get() + " is not readable");
            }
            return Optional.of(new DkimSettings(domain.get(), selector.get(), keyFile.get()));
        }

        Caa caa() {
            boolean check = bool("caa.check", false);
            return new Caa(check, string("caa.identity", "test-ca.invalid"), optional("caa.dnsServer"));
        }

        Faults faults() {
            return new Faults(integer("fault.nonceRejectPercent", 0, 0, 100),
                    duration("fault.challengeMailDelay", Duration.ZERO),
                    duration("fault.validationDelay", Duration.ZERO), bool("fault.oddTokenLength", false),
                    duration("fault.responseOnlyAfterPost", Duration.ZERO),
                    duration("fault.requestDelay", Duration.ZERO));
        }
    }
}
