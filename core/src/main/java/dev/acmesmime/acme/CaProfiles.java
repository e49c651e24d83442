package dev.acmesmime.acme;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.acmesmime.acme.CaProfile.Eab;
import dev.acmesmime.acme.CaProfile.TrustStore;

/**
 * The CA profiles of the enrolment, read from the plugin's settings file {@code conf/acme-smime.properties}.
 * Each profile names one ACME CA and the domains whose mailboxes it certifies; no profile, no enrolment.
 * <p>
 * Settings of a profile {@code <name>} (letters, digits, {@code -} and {@code _}):
 * <pre>
 * # The CA's ACME directory URL (required; https)
 * enrolment.profile.main.directory=https://acme.ca.example/directory
 * # Domains whose mailboxes this profile certifies, comma-separated (required). "example.org" is that
 * #   domain only, "*.example.org" every domain below it. A domain may appear in one profile only; when
 * #   several patterns cover a mailbox, the exact domain wins, then the longest wildcard.
 * enrolment.profile.main.domains=example.org,*.example.org
 * # Trust anchors for the CA's TLS certificate (optional; default: the JDK's). PEM certificates
 * #   (.pem, .crt) or a PKCS#12/JKS key store, with its password as text in a separate file.
 * enrolment.profile.main.trustStore=conf/ca-trust.p12
 * enrolment.profile.main.trustStorePasswordFile=conf/ca-trust.password
 * # I have read the CA's terms of service and agree to them (true|false, default false). A CA that
 * #   publishes terms will not open an account without this.
 * enrolment.profile.main.termsOfServiceAgreed=true
 * # External Account Binding, as commercial CAs require (RFC 8555 §7.3.4): both or neither. The file
 * #   holds the HMAC key exactly as the CA gave it (base64url).
 * enrolment.profile.main.eab.kid=kid-from-the-ca
 * enrolment.profile.main.eab.hmacKeyFile=conf/ca-eab.key
 * # Certificate key of each mailbox: rsa-2048, rsa-3072, ec-p256 (default), ec-p384
 * enrolment.profile.main.keyType=ec-p256
 * # Key usage asked for in the CSR (RFC 8823 §3.3): both (default), signing, encryption
 * enrolment.profile.main.keyUsage=both
 * # How this CA joins token-part1 and token-part2: string (RFC 8555, default) or bytes (interop)
 * enrolment.profile.main.concatenation=string
 * # Wait after the response has been sent before telling the CA to look (500ms, 2s, PT2S; 0s..10m,
 * #   default 0s). Some CAs look only briefly after the POST: give the mail time to arrive.
 * enrolment.profile.main.postDelay=2s
 * </pre>
 * Relative paths are resolved against the folder of the settings file. Every value is checked here, once:
 * a bad one raises a {@link CaProfileException} whose message starts with the full setting name, and so
 * does an unknown key under {@code enrolment.profile.<name>.} (a misspelt setting is not silently ignored).
 */
public final class CaProfiles {
    public static final String PREFIX = "enrolment.profile.";
    public static final String DIRECTORY = "directory";
    public static final String DOMAINS = "domains";
    public static final String TRUST_STORE = "trustStore";
    public static final String TRUST_STORE_PASSWORD_FILE = "trustStorePasswordFile";
    public static final String TERMS_OF_SERVICE_AGREED = "termsOfServiceAgreed";
    public static final String EAB_KID = "eab.kid";
    public static final String EAB_HMAC_KEY_FILE = "eab.hmacKeyFile";
    public static final String KEY_TYPE = "keyType";
    public static final String KEY_USAGE = "keyUsage";
    public static final String CONCATENATION = "concatenation";
    public static final String POST_DELAY = "postDelay";

    public static final KeyType DEFAULT_KEY_TYPE = KeyType.EC_P256;
    public static final Duration MAX_POST_DELAY = Duration.ofMinutes(10);

    private static final Set<String> KEYS = Set.of(DIRECTORY, DOMAINS, TRUST_STORE, TRUST_STORE_PASSWORD_FILE,
            TERMS_OF_SERVICE_AGREED, EAB_KID, EAB_HMAC_KEY_FILE, KEY_TYPE, KEY_USAGE, CONCATENATION, POST_DELAY);
    private static final Pattern KEY = Pattern.compile(Pattern.quote(PREFIX) + "([A-Za-z0-9_-]+)\\.(.+)");

    private final List<CaProfile> profiles;

    private CaProfiles(List<CaProfile> profiles) {
        this.profiles = List.copyOf(profiles);
    }

    /**
     * Reads every {@code enrolment.profile.*} setting; other keys are ignored.
     *
     * @param base the folder relative paths are resolved against
     * @throws CaProfileException naming the first bad setting
     */
    public static CaProfiles parse(Properties properties, Path base) {
        List<CaProfile> profiles = new ArrayList<>();
        for (String name : names(properties)) {
            profiles.add(profile(new ProfileReader(properties, PREFIX + name + ".", base), name));
        }
        checkDomainsUnique(profiles);
        return new CaProfiles(profiles);
    }

    private static Set<String> names(Properties properties) {
        Set<String> names = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith(PREFIX)) {
                continue;
            }
            Matcher m = KEY.matcher(key);
            if (!m.matches()) {
                throw new CaProfileException(key, "expected " + PREFIX + "<name>.<setting>, the name made of"
                        + " letters, digits, - and _");
            }
            if (!KEYS.contains(m.group(2))) {
                throw new CaProfileException(key, "unknown setting; known: " + new TreeSet<>(KEYS));
            }
            names.add(m.group(1));
        }
        return names;
    }

    private static CaProfile profile(ProfileReader r, String name) {
        Optional<Path> store = r.file(TRUST_STORE);
        Optional<Path> password = r.file(TRUST_STORE_PASSWORD_FILE);
        if (password.isPresent() && store.isEmpty()) {
            throw new CaProfileException(r.key(TRUST_STORE), "is required when "
                    + r.key(TRUST_STORE_PASSWORD_FILE) + " is set");
        }
        Optional<String> kid = r.optional(EAB_KID);
        Optional<Path> hmacKey = r.file(EAB_HMAC_KEY_FILE);
        if (kid.isPresent() != hmacKey.isPresent()) {
            String missing = kid.isPresent() ? EAB_HMAC_KEY_FILE : EAB_KID;
            throw new CaProfileException(r.key(missing), "is required: " + EAB_KID + " and " + EAB_HMAC_KEY_FILE
                    + " go together");
        }
        return new CaProfile(name, r.httpsUrl(DIRECTORY), store.map(s -> new TrustStore(s, password)),
                r.bool(TERMS_OF_SERVICE_AGREED, false), kid.map(k -> new Eab(k, hmacKey.orElseThrow())),
                r.choice(KEY_TYPE, KeyType.class, DEFAULT_KEY_TYPE),
                r.choice(KEY_USAGE, KeyUsageChoice.class, KeyUsageChoice.BOTH),
                r.choice(CONCATENATION, Concatenation.class, Concatenation.STRING),
                r.duration(POST_DELAY, Duration.ZERO, MAX_POST_DELAY), r.domains(DOMAINS));
    }

    private static void checkDomainsUnique(List<CaProfile> profiles) {
        Map<String, String> owner = new HashMap<>();
        for (CaProfile p : profiles) {
            for (String pattern : p.domains()) {
                String other = owner.putIfAbsent(pattern, p.name());
                if (other != null) {
                    throw new CaProfileException(PREFIX + p.name() + "." + DOMAINS, "'" + pattern
                            + "' is already in profile " + other);
                }
            }
        }
    }

    /** All profiles, by name. */
    public List<CaProfile> all() {
        return profiles;
    }

    public boolean isEmpty() {
        return profiles.isEmpty();
    }

    public Optional<CaProfile> named(String name) {
        return profiles.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /**
     * The profile that certifies {@code mailbox}: the one with the most specific pattern covering its
     * domain; empty when none does (the mailbox is not enrolled).
     */
    public Optional<CaProfile> profileFor(String mailbox) {
        int at = mailbox.lastIndexOf('@');
        if (at < 0) {
            return Optional.empty();
        }
        String domain = mailbox.substring(at + 1).toLowerCase(Locale.ROOT);
        return profiles.stream().filter(p -> p.covers(domain))
                .max(Comparator.comparingInt(p -> specificity(p, domain)));
    }

    private static int specificity(CaProfile profile, String domain) {
        return profile.domains().stream().filter(d -> DomainPattern.matches(d, domain))
                .mapToInt(DomainPattern::specificity).max().orElse(0);
    }
}
