package dev.acmesmime.dkim;

import java.io.IOException;
import java.net.IDN;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.exceptions.TempFailException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.ResolverConfig;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.rfc8823.BoundedMemo;

/**
 * Fetches DKIM key records ({@code <selector>._domainkey.<domain>} TXT, RFC 6376 §3.6.2.2) with
 * dnsjava, with bounded time and a TTL-respecting cache.
 * <p>
 * Outcomes are kept apart because the caller acts differently on them (RFC 6376 §6.3, checklist
 * D16): a timeout, SERVFAIL or REFUSED is <em>temporary</em> ({@link Lookup.Status#TEMPFAIL}, retry
 * later); NXDOMAIN or an answer without TXT records is <em>permanent</em>
 * ({@link Lookup.Status#NO_KEY}). Every query is bounded by {@link Builder#timeout(Duration)}, and
 * a lookup makes at most {@link Builder#attempts(int)} rounds over at most three servers.
 * <p>
 * Usage:
 * <pre>{@code
 * DkimKeyResolver dns = DkimKeyResolver.builder().server("127.0.0.1:5353").build(); // or systemDefault()
 * }</pre>
 * It also serves jDKIM as a {@link PublicKeyRecordRetriever}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6376#section-3.6.2">RFC 6376 §3.6.2</a>
 */
public final class DkimKeyResolver implements PublicKeyRecordRetriever {

    /** Default time one DNS query may take: {@value #DEFAULT_TIMEOUT_MILLIS} ms. */
    public static final long DEFAULT_TIMEOUT_MILLIS = 2000;
    /** Default number of rounds over the servers: {@value}. */
    public static final int DEFAULT_ATTEMPTS = 2;
    /** Longest time an answer is cached whatever its TTL: {@value} s. */
    public static final long DEFAULT_MAX_TTL_SECONDS = 3600;
    /** Longest time a "no key" answer is cached, further bounded by the zone's SOA: {@value} s. */
    public static final long MAX_NEGATIVE_TTL_SECONDS = 300;
    // built once: counting a lookup allocates nothing
    private static final String LOOKUPS_FOUND = MetricNames.child(MetricNames.DKIM_KEY_LOOKUPS, "found");
    private static final String LOOKUPS_MISSING = MetricNames.child(MetricNames.DKIM_KEY_LOOKUPS, "missing");
    private static final String LOOKUPS_TEMPERROR = MetricNames.child(MetricNames.DKIM_KEY_LOOKUPS, "temperror");

    private static final int MAX_SERVERS = 3;
    private static final int CACHE_SIZE = 10_000;

    private final List<InetSocketAddress> servers;
    private final Duration timeout;
    private final int attempts;
    private final Duration maxTtl;
    private final Clock clock;
    private final PluginMetrics metrics;
    /** Fixed answers by lower-case query name with trailing dot, or {@code null} to query DNS. */
    private final Map<String, String> fixed;
    private final Map<String, Cached> cache = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    /**
     * The result of one key lookup.
     *
     * @param status  found, no key, or temporary failure
     * @param records the TXT records found (each one's strings joined), empty unless found
     * @param detail  one line for logs: the query name and what the server said
     */
    public record Lookup(Status status, List<String> records, String detail) {
        public enum Status { FOUND, NO_KEY, TEMPFAIL }

        public Lookup {
            Objects.requireNonNull(status, "status");
            records = List.copyOf(records);
            Objects.requireNonNull(detail, "detail");
        }
    }

    private record Cached(Lookup lookup, Instant expires) {
    }

    /** A query name and its cache key, lower case with the trailing dot. */
    private record QueryName(Name name, String key) {
    }

    /**
     * Query names by the text they are made from: the IDNA conversion and dnsjava's parse cost
     * more than the cache lookup that follows them.
     */
    private final BoundedMemo<String, QueryName> queryNames = new BoundedMemo<>(CACHE_SIZE);

    private DkimKeyResolver(Builder b) {
        this.servers = List.copyOf(b.servers.subList(0, Math.min(MAX_SERVERS, b.servers.size())));
        this.timeout = b.timeout;
        this.attempts = b.attempts;
        this.maxTtl = b.maxTtl;
        this.clock = b.clock;
        this.metrics = b.metrics;
        this.fixed = b.fixed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A resolver using the system's name servers (resolv.conf; dnsjava also honours {@code -Ddns.server}). */
    public static DkimKeyResolver systemDefault() {
        return builder().build();
    }

    /**
     * A resolver that answers from {@code records} and never sends a query: a name it holds is
     * found, any other name has no key. For benchmarks and tools that already have the key, so
     * that what they measure or check is not the network.
     *
     * @param records TXT record value by name {@code <selector>._domainkey.<domain>} (case-insensitive)
     */
    public static DkimKeyResolver ofRecords(Map<String, String> records) {
        Map<String, String> byName = new LinkedHashMap<>();
        records.forEach((name, value) -> byName.put(
                IDN.toASCII(name).toLowerCase(Locale.ROOT) + ".", Objects.requireNonNull(value, "record value")));
        Builder b = builder().servers(List.of(new InetSocketAddress("127.0.0.1", 53)));
        b.fixed = Map.copyOf(byName);
        return b.build();
    }

    /** The servers queried, in order. */
    public List<InetSocketAddress> servers() {
        return servers;
    }

    /** Looks up {@code <selector>._domainkey.<domain>} with the configured bounds. */
    public Lookup lookup(String selector, String domain) {
        return lookup(selector, domain, Long.MAX_VALUE);
    }

    /**
     * As {@link #lookup(String, String)}, but gives up (temporary failure) at
     * {@code deadlineNanos} ({@link System#nanoTime()} scale) when that comes before the
     * configured bounds would.
     */
    Lookup lookup(String selector, String domain, long deadlineNanos) {
        Lookup result = resolve(selector, domain, deadlineNanos);
        metrics.increment(switch (result.status()) {
            case FOUND -> LOOKUPS_FOUND;
            case NO_KEY -> LOOKUPS_MISSING;
            case TEMPFAIL -> LOOKUPS_TEMPERROR;
        });
        return result;
    }

    private Lookup resolve(String selector, String domain, long deadlineNanos) {
        String text = selector + "._domainkey." + domain;
        QueryName q = queryNames.get(text);
        if (q == null) {
            Name parsed;
            try {
                parsed = Name.fromString(IDN.toASCII(text) + ".");
            } catch (TextParseException | IllegalArgumentException e) {
                return new Lookup(Lookup.Status.NO_KEY, List.of(), "invalid key record name: " + e.getMessage());
            }
            q = new QueryName(parsed, parsed.toString().toLowerCase(Locale.ROOT));
            queryNames.put(text, q);
        }
        Name name = q.name();
        String key = q.key();
        if (fixed != null) {
            String value = fixed.get(key);
            return value == null
                    ? new Lookup(Lookup.Status.NO_KEY, List.of(), key + ": not among the fixed records")
                    : new Lookup(Lookup.Status.FOUND, List.of(value), key + ": fixed record");
        }
        Instant now = clock.instant();
        synchronized (cache) {
            Cached c = cache.get(key);
            if (c != null && now.isBefore(c.expires())) {
                return c.lookup();
            }
            cache.remove(key);
        }
        Message query = Message.newQuery(Record.newRecord(name, Type.TXT, DClass.IN));
        String lastProblem = "no name server configured";
        for (int round = 0; round < attempts; round++) {
            for (InetSocketAddress server : servers) {
                Duration wait = timeout;
                if (deadlineNanos != Long.MAX_VALUE) {
                    Duration left = Duration.ofNanos(deadlineNanos - System.nanoTime());
                    if (left.isNegative() || left.isZero()) {
                        return temp(key, "time budget for DNS lookups used up; last problem: " + lastProblem);
                    }
                    if (left.compareTo(wait) < 0) {
                        wait = left;
                    }
                }
                Message response;
                try {
                    SimpleResolver r = new SimpleResolver(server);
                    r.setTimeout(wait);
                    response = r.send(query);
                } catch (IOException e) {
                    lastProblem = at(server) + ": " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage());
                    continue;
                }
                int rcode = response.getRcode();
                if (rcode == Rcode.NXDOMAIN) {
                    return store(key, new Lookup(Lookup.Status.NO_KEY, List.of(), key + ": NXDOMAIN from " + at(server)),
                            negativeTtl(response));
                }
                if (rcode != Rcode.NOERROR) {
                    lastProblem = at(server) + " answered " + Rcode.string(rcode);
                    continue;
                }
                List<String> records = new ArrayList<>();
                long ttl = Long.MAX_VALUE;
                for (Record rec : response.getSection(Section.ANSWER)) {
                    if (rec instanceof TXTRecord txt) {
                        StringBuilder sb = new StringBuilder();
                        for (Object part : txt.getStringsAsByteArrays()) {
                            sb.append(new String((byte[]) part, StandardCharsets.ISO_8859_1));
                        }
                        records.add(sb.toString());
                        ttl = Math.min(ttl, rec.getTTL());
                    }
                }
                if (records.isEmpty()) {
                    return store(key, new Lookup(Lookup.Status.NO_KEY, List.of(), key + ": no TXT record at " + at(server)),
                            negativeTtl(response));
                }
                return store(key, new Lookup(Lookup.Status.FOUND, records, key + ": " + records.size()
                        + " TXT record(s) from " + at(server)), Duration.ofSeconds(ttl));
            }
        }
        return temp(key, lastProblem);
    }

    /**
     * jDKIM's view: the key records, or {@link TempFailException} for a temporary failure, or
     * {@link PermFailException} when there is no key or the method is not {@code dns/txt}.
     */
    @Override
    public List<String> getRecords(CharSequence methodAndOptions, CharSequence selector, CharSequence token)
            throws TempFailException, PermFailException {
        return toJdkim(methodAndOptions, lookup(selector.toString(), token.toString()));
    }

    static List<String> toJdkim(CharSequence methodAndOptions, Lookup lookup)
            throws TempFailException, PermFailException {
        if (!"dns/txt".equalsIgnoreCase(methodAndOptions.toString().strip())) {
            throw new PermFailException("only q=dns/txt is supported");
        }
        return switch (lookup.status()) {
            case FOUND -> lookup.records();
            case NO_KEY -> throw new PermFailException("no key for signature (" + lookup.detail() + ")");
            case TEMPFAIL -> throw new TempFailException("key lookup failed temporarily (" + lookup.detail() + ")");
        };
    }

    private Lookup temp(String key, String problem) {
        return new Lookup(Lookup.Status.TEMPFAIL, List.of(), key + ": " + problem);
    }

    private Lookup store(String key, Lookup lookup, Duration ttl) {
        Duration keep = ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl;
        if (keep.isNegative() || keep.isZero()) {
            return lookup;
        }
        synchronized (cache) {
            cache.put(key, new Cached(lookup, clock.instant().plus(keep)));
        }
        return lookup;
    }

    /** RFC 2308 §5: the SOA's TTL, bounded by its MINIMUM; no SOA means no negative caching. */
    private static Duration negativeTtl(Message response) {
        for (Record rec : response.getSection(Section.AUTHORITY)) {
            if (rec instanceof SOARecord soa) {
                long s = Math.min(Math.min(soa.getTTL(), soa.getMinimum()), MAX_NEGATIVE_TTL_SECONDS);
                return Duration.ofSeconds(s);
            }
        }
        return Duration.ZERO;
    }

    private static String at(InetSocketAddress a) {
        return a.getHostString() + ":" + a.getPort();
    }

    /** Options of {@link DkimKeyResolver}. Do not reuse after {@link #build()}. */
    public static final class Builder {
        private List<InetSocketAddress> servers;
        private Duration timeout = Duration.ofMillis(DEFAULT_TIMEOUT_MILLIS);
        private int attempts = DEFAULT_ATTEMPTS;
        private Duration maxTtl = Duration.ofSeconds(DEFAULT_MAX_TTL_SECONDS);
        private Clock clock = Clock.systemUTC();
        private PluginMetrics metrics = PluginMetrics.NONE;
        private Map<String, String> fixed;

        private Builder() {
        }

        /**
         * Query this server instead of the system's: {@code HOST}, {@code HOST:PORT} or
         * {@code [IPv6]:PORT} (the CLI's {@code --dns-server}). Port 53 when none is given.
         */
        public Builder server(String hostPort) {
            return servers(List.of(parseServer(hostPort)));
        }

        /** Query these servers, in order (at most three are used). */
        public Builder servers(List<InetSocketAddress> servers) {
            if (servers.isEmpty()) {
                throw new IllegalArgumentException("at least one DNS server is needed");
            }
            this.servers = List.copyOf(servers);
            return this;
        }

        /** Time one query may take before the next server or round is tried; default 2 s. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
                throw new IllegalArgumentException("DNS timeout must be between 1 ms and 30 s: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Rounds over the servers; default {@value DkimKeyResolver#DEFAULT_ATTEMPTS}, 1 to 5. */
        public Builder attempts(int attempts) {
            if (attempts < 1 || attempts > 5) {
                throw new IllegalArgumentException("DNS attempts must be 1 to 5: " + attempts);
            }
            this.attempts = attempts;
            return this;
        }

        /** Upper bound on caching an answer; {@link Duration#ZERO} disables the cache. */
        public Builder maxCacheTtl(Duration maxTtl) {
            if (maxTtl.isNegative()) {
                throw new IllegalArgumentException("negative cache TTL: " + maxTtl);
            }
            this.maxTtl = maxTtl;
            return this;
        }

        /** The clock the cache expires by. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where each lookup's result is counted ({@link MetricNames#DKIM_KEY_LOOKUPS}
         * {@code .found}, {@code .missing}, {@code .temperror}; answers from the cache count too);
         * default none.
         */
        public Builder metrics(PluginMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        public DkimKeyResolver build() {
            if (servers == null) {
                List<InetSocketAddress> system = ResolverConfig.getCurrentConfig().servers();
                servers = system.isEmpty() ? List.of(new InetSocketAddress("127.0.0.1", 53)) : system;
            }
            return new DkimKeyResolver(this);
        }

        static InetSocketAddress parseServer(String hostPort) {
            String s = Objects.requireNonNull(hostPort, "hostPort").strip();
            String host;
            int port = 53;
            if (s.startsWith("[")) {
                int close = s.indexOf(']');
                if (close < 0) {
                    throw new IllegalArgumentException("bad DNS server (missing ']'): " + hostPort);
                }
                host = s.substring(1, close);
                if (s.length() > close + 1) {
                    if (s.charAt(close + 1) != ':') {
                        throw new IllegalArgumentException("bad DNS server: " + hostPort);
                    }
                    port = parsePort(s.substring(close + 2), hostPort);
                }
            } else if (s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':')) {
                host = s.substring(0, s.indexOf(':'));
                port = parsePort(s.substring(s.indexOf(':') + 1), hostPort);
            } else {
                host = s;
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("bad DNS server (no host): " + hostPort);
            }
            return new InetSocketAddress(host, port);
        }

        private static int parsePort(String p, String whole) {
            try {
                int port = Integer.parseInt(p);
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad DNS server port: " + whole);
            }
        }
    }
}
