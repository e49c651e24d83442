package dev.acmesmime.enrolment;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.acmesmime.acme.CaProfiles;
import dev.acmesmime.store.RetryPolicy;

/**
 * Automatic S/MIME enrolment (RFC 8823): which mailboxes get a certificate, how fast, and how failures are
 * retried. Read from the plugin's settings file {@code conf/acme-smime.properties}, next to the CA profiles
 * ({@link CaProfiles}, {@code enrolment.profile.<name>.*}) that say which CA serves which domain.
 * <p>
 * Settings (all optional):
 * <pre>
 * # Turn the enrolment on (true|false, default false). Off, nothing is ordered and no user is scanned.
 * enrolment.enabled=true
 * # Domains whose mailboxes are enrolled, comma-separated: "org.test" that domain, "*.org.test" every
 * #   domain below it. Default: every domain a profile covers. A mailbox whose domain no profile covers
 * #   is never enrolled.
 * enrolment.domains=org.test
 * # Globs on the whole mailbox (* any characters, ? one, case-insensitive), comma-separated. With an
 * #   include list only matching mailboxes are enrolled; an exclude match always wins.
 * enrolment.include=
 * enrolment.exclude=noreply*@*,postmaster@*
 * # Mailboxes worked on at the same time by this node (1..256, default 4).
 * enrolment.concurrency=4
 * # New orders per minute and CA profile from this node (1..100000, default 60): the CA's own limits
 * #   are obeyed anyway (429 rateLimited, Retry-After), this keeps us below them.
 * enrolment.ordersPerMinute=60
 * # Renewal jitter as a share of the certificate's lifetime (0..0.5, default 0.1): without ARI a
 * #   certificate is renewed at two thirds of its lifetime, earlier by a random part of this share, so
 * #   that mailboxes enrolled together do not all renew in the same minute. With ARI (RFC 9773) the
 * #   CA's window rules, and a random point inside it is taken.
 * enrolment.renewal.jitter=0.1
 * # Back-off after a failure: the first wait, doubling up to the longest (seconds; defaults 60, 3600).
 * #   A 429 rateLimited waits as the CA's Retry-After says instead.
 * enrolment.retry.initialSeconds=60
 * enrolment.retry.maxSeconds=3600
 * # How often the engine looks for work and for answered challenges, and polls an order without
 * #   Retry-After (1..3600 s, default 5).
 * enrolment.pollSeconds=5
 * # How long a node holds a mailbox it works on; another node takes it over after (30..86400 s,
 * #   default 300). Each step that creates state at the CA (order, challenge POST, finalize) starts with
 * #   a whole lease; keep it well above one step's CA calls (a few, each up to 10 s).
 * enrolment.leaseSeconds=300
 * # Revoke a mailbox's certificate when its user is deleted (true|false, default false).
 * enrolment.revokeOnDelete=false
 * # How often James's users are listed to find new and deleted ones (10..86400 s, default 60).
 * enrolment.userScanSeconds=60
 * </pre>
 * Every value is checked here, once: a bad one raises an {@link EnrolmentSettingsException} whose message
 * starts with the full setting name, and so does an unknown {@code enrolment.*} key.
 *
 * @param enabled        {@code enrolment.enabled}
 * @param domains        {@code enrolment.domains}, lower case; empty: every domain a profile covers
 * @param include        {@code enrolment.include}
 * @param exclude        {@code enrolment.exclude}
 * @param concurrency    {@code enrolment.concurrency}
 * @param ordersPerMinute {@code enrolment.ordersPerMinute}
 * @param renewalJitter  {@code enrolment.renewal.jitter}
 * @param retryInitial   {@code enrolment.retry.initialSeconds}
 * @param retryMax       {@code enrolment.retry.maxSeconds}
 * @param poll           {@code enrolment.pollSeconds}
 * @param lease          {@code enrolment.leaseSeconds}
 * @param revokeOnDelete {@code enrolment.revokeOnDelete}
 * @param userScan       {@code enrolment.userScanSeconds}
 * @param profiles       the CA profiles
 */
public record EnrolmentSettings(boolean enabled, List<String> domains, List<MailboxGlob> include,
                                List<MailboxGlob> exclude, int concurrency, int ordersPerMinute, double renewalJitter,
                                Duration retryInitial, Duration retryMax, Duration poll, Duration lease,
                                boolean revokeOnDelete, Duration userScan, CaProfiles profiles) {
    public static final String PREFIX = "enrolment.";
    public static final String ENABLED = "enrolment.enabled";
    public static final String DOMAINS = "enrolment.domains";
    public static final String INCLUDE = "enrolment.include";
    public static final String EXCLUDE = "enrolment.exclude";
    public static final String CONCURRENCY = "enrolment.concurrency";
    public static final String ORDERS_PER_MINUTE = "enrolment.ordersPerMinute";
    public static final String RENEWAL_JITTER = "enrolment.renewal.jitter";
    public static final String RETRY_INITIAL = "enrolment.retry.initialSeconds";
    public static final String RETRY_MAX = "enrolment.retry.maxSeconds";
    public static final String POLL = "enrolment.pollSeconds";
    public static final String LEASE = "enrolment.leaseSeconds";
    public static final String REVOKE_ON_DELETE = "enrolment.revokeOnDelete";
    public static final String USER_SCAN = "enrolment.userScanSeconds";

    private static final Set<String> KEYS = Set.of(ENABLED, DOMAINS, INCLUDE, EXCLUDE, CONCURRENCY,
            ORDERS_PER_MINUTE, RENEWAL_JITTER, RETRY_INITIAL, RETRY_MAX, POLL, LEASE, REVOKE_ON_DELETE, USER_SCAN);

    public EnrolmentSettings {
        domains = List.copyOf(domains);
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
        Objects.requireNonNull(profiles, "profiles");
    }

    /**
     * Reads every {@code enrolment.*} setting, the profiles included; other keys are ignored.
     *
     * @param base the folder relative paths are resolved against
     * @throws EnrolmentSettingsException or {@link dev.acmesmime.acme.CaProfileException}, naming the bad setting
     */
    public static EnrolmentSettings parse(Properties properties, Path base) {
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith(PREFIX) && !key.startsWith(CaProfiles.PREFIX) && !KEYS.contains(key)) {
                throw new EnrolmentSettingsException(key, "unknown setting; known: " + new TreeSet<>(KEYS));
            }
        }
        SettingsReader r = new SettingsReader(properties);
        long initial = r.number(RETRY_INITIAL, 60, 1, 86_400);
        long max = r.number(RETRY_MAX, Math.max(3600, initial), initial, 7 * 86_400);
        return new EnrolmentSettings(r.bool(ENABLED, false), domains(r), globs(r.list(INCLUDE)),
                globs(r.list(EXCLUDE)), (int) r.number(CONCURRENCY, 4, 1, 256),
                (int) r.number(ORDERS_PER_MINUTE, 60, 1, 100_000), r.fraction(RENEWAL_JITTER, 0.1, 0.5),
                Duration.ofSeconds(initial), Duration.ofSeconds(max), Duration.ofSeconds(r.number(POLL, 5, 1, 3600)),
                Duration.ofSeconds(r.number(LEASE, 300, 30, 86_400)), r.bool(REVOKE_ON_DELETE, false),
                Duration.ofSeconds(r.number(USER_SCAN, 60, 10, 86_400)), CaProfiles.parse(properties, base));
    }

    private static List<String> domains(SettingsReader r) {
        List<String> domains = r.list(DOMAINS);
        for (String d : domains) {
            String name = d.startsWith("*.") ? d.substring(2) : d;
            if (name.isEmpty() || name.contains("*") || name.contains("@")) {
                throw new EnrolmentSettingsException(DOMAINS, "'" + d + "' is neither a domain nor *.domain");
            }
        }
        return domains;
    }

    private static List<MailboxGlob> globs(List<String> values) {
        return values.stream().map(MailboxGlob::of).collect(Collectors.toList());
    }

    /**
     * Whether {@code mailbox} is enrolled: a profile covers its domain, {@link #domains} (when set) lists
     * it, an include glob (when any) matches it, and no exclude glob does.
     */
    public boolean inScope(String mailbox) {
        int at = mailbox.lastIndexOf('@');
        if (at < 0 || profiles.profileFor(mailbox).isEmpty()) {
            return false;
        }
        String domain = mailbox.substring(at + 1).toLowerCase(Locale.ROOT);
        boolean listed = domains.isEmpty() || domains.stream().anyMatch(d -> d.startsWith("*.")
                ? domain.endsWith(d.substring(1)) : domain.equals(d));
        boolean included = include.isEmpty() || include.stream().anyMatch(g -> g.matches(mailbox));
        return listed && included && exclude.stream().noneMatch(g -> g.matches(mailbox));
    }

    /** The back-off after failures: {@link #retryInitial} doubling up to {@link #retryMax}, never giving up. */
    public RetryPolicy retryPolicy() {
        return new RetryPolicy(retryInitial, retryMax, Integer.MAX_VALUE, lease);
    }
}
