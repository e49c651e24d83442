package dev.acmesmime.dkim;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.apache.james.jdkim.DKIMVerifier;
import org.apache.james.jdkim.api.Headers;
import org.apache.james.jdkim.api.PublicKeyRecord;
import org.apache.james.jdkim.api.PublicKeyRecordRetriever;
import org.apache.james.jdkim.api.SignatureRecord;
import org.apache.james.jdkim.canon.RelaxedBodyCanonicalizer;
import org.apache.james.jdkim.canon.SimpleBodyCanonicalizer;
import org.apache.james.jdkim.exceptions.FailException;
import org.apache.james.jdkim.exceptions.PermFailException;
import org.apache.james.jdkim.exceptions.TempFailException;

import dev.acmesmime.metrics.MetricNames;
import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.rfc8823.Addresses;
import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.BoundedMemo;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.Untrusted;

/**
 * DKIM under the RFC 8823 policy: a mail is authentic only if at least one DKIM-Signature
 * <ol>
 * <li>verifies cryptographically, with its key fetched from DNS now (jDKIM 0.3 does the
 *     canonicalisation, body hash and RSA; for {@code a=ed25519-sha256}, RFC 8463, the JDK's
 *     Ed25519 signs the hash jDKIM's canonicalisation gives, see {@link Ed25519Sha256};
 *     {@code dkim-invalid}, or {@code dkim-temperror} when the key could not be fetched, D16);</li>
 * <li>has {@code d=} <em>exactly</em> the From domain, compared as IDNA A-labels without case; a
 *     parent domain is not enough ({@code dkim-misaligned}, D4, D8, D15);</li>
 * <li>names in {@code h=} every field of the D2 list (challenge) or D7 list (response), present
 *     in the mail or not, From included ({@code dkim-headers}, D2, D7, D10, D11);</li>
 * <li>does not use rsa-sha1 ({@code dkim-sha1}, D12, RFC 8301 §3.1);</li>
 * <li>has an RSA key of at least 1024 bits or an Ed25519 key ({@code dkim-weak-key}, D12, RFC 8301
 *     §3.2);</li>
 * <li>has no {@code l=}, or one equal to the canonicalized body length ({@code dkim-body-length},
 *     D13).</li>
 * </ol>
 * A key record in testing mode ({@code t=y}) counts as no signature, as RFC 6376 §3.6.1 demands.
 * An {@code i=} outside {@code d=}, a duplicate tag, bad base64, an unsupported algorithm or an
 * over-long field makes the signature {@code dkim-invalid} (RFC 6376 §6.1.1) without a DNS query.
 * Authentication-Results fields in the mail are never read (D17).
 * <p>
 * {@link #verify} returns the checks of the best signature: an acceptable one if any (then every
 * check passes and the passing {@code dkim-invalid} check is what makes
 * {@link dev.acmesmime.rfc8823.Verdict#valid()} true), otherwise one that failed only
 * temporarily, otherwise the one with fewest failures. Each detail names the signature by
 * {@code d=} and {@code s=}. {@link #evaluate} gives every signature's result for evidence records.
 * <p>
 * Cost is bounded: at most {@value #MAX_SIGNATURES} signatures are examined, fields over
 * {@value SignatureTags#MAX_FIELD_LENGTH} characters or with more than
 * {@value SignatureTags#MAX_SIGNED_FIELDS} {@code h=} names are rejected unread, and all DNS
 * lookups of one mail share a time budget ({@link Builder#dnsBudget(Duration)}).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.1">RFC 8823 §3.1 item 6</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3.2">RFC 8823 §3.2 item 9</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6376#section-6.1">RFC 6376 §6.1</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8301">RFC 8301</a>
 */
public final class DkimPolicyVerifier implements AuthenticityVerifier {

    /** Most DKIM-Signature fields examined per mail; further ones are ignored. */
    public static final int MAX_SIGNATURES = 8;
    /** Smallest RSA key accepted, RFC 8301 §3.2: {@value} bits. */
    public static final int MIN_KEY_BITS = 1024;
    /** The size reported for an Ed25519 key, as dkimpy reports it: {@value} bits. */
    static final int ED25519_BITS = 256;
    /** Default time all key lookups of one mail may take together: {@value} ms. */
    public static final long DEFAULT_DNS_BUDGET_MILLIS = 6000;

    private static final String DKIM_SIGNATURE = "DKIM-Signature";

    /** Most decoded keys kept; the cache is emptied when it would grow beyond. */
    private static final int KEY_CACHE_SIZE = 1024;

    private final DkimKeyResolver resolver;
    private final Duration dnsBudget;
    private final PluginMetrics metrics;
    /**
     * Selected key records by the records they came from. jDKIM parses the record and decodes p=
     * (base64 plus an X.509 parse) on every call, twice per signature with the key-size check,
     * which cost a tenth of a verification; a record's text always gives the same key.
     */
    private final BoundedMemo<List<String>, CachedKeyRecord> keyCache = new BoundedMemo<>(KEY_CACHE_SIZE);

    private DkimPolicyVerifier(Builder b) {
        this.resolver = b.resolver != null ? b.resolver : DkimKeyResolver.systemDefault();
        this.dnsBudget = b.dnsBudget;
        this.metrics = b.metrics;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Check> verify(byte[] rawMessage, MessageKind kind, String fromAddress) {
        List<SignatureResult> results = evaluate(rawMessage, kind, fromAddress);
        if (results.isEmpty()) {
            return List.of(Check.fail(FailureCode.DKIM_NONE,
                    "no DKIM-Signature header field (Authentication-Results fields are not trusted)"));
        }
        return best(results).checks();
    }

    /** The best of {@code results} as {@link #verify} chooses it. */
    public static SignatureResult best(List<SignatureResult> results) {
        return results.stream().min(Comparator.comparingInt(SignatureResult::rank))
                .orElseThrow(() -> new IllegalArgumentException("no results"));
    }

    /**
     * Every DKIM-Signature's result, in the order examined; examination stops at the first
     * acceptable signature. Empty when the mail has no DKIM-Signature field.
     */
    public List<SignatureResult> evaluate(byte[] rawMessage, MessageKind kind, String fromAddress) {
        if (metrics == PluginMetrics.NONE) {
            // no clock read, no Duration: the benchmark path stays allocation-free
            return examine(rawMessage, kind, fromAddress);
        }
        long start = System.nanoTime();
        try {
            return examine(rawMessage, kind, fromAddress);
        } finally {
            metrics.record(MetricNames.DKIM_VERIFY_TIME, Duration.ofNanos(System.nanoTime() - start));
        }
    }

    private List<SignatureResult> examine(byte[] rawMessage, MessageKind kind, String fromAddress) {
        Objects.requireNonNull(rawMessage, "rawMessage");
        Objects.requireNonNull(kind, "kind");
        MailBytes mail = MailBytes.parse(rawMessage);
        List<String> fields = mail.getFields(DKIM_SIGNATURE);
        int total = fields.size();
        int examined = Math.min(total, MAX_SIGNATURES);
        long deadline = System.nanoTime() + dnsBudget.toNanos();
        PublicKeyRecordRetriever retriever = (method, selector, domain) ->
                DkimKeyResolver.toJdkim(method, resolver.lookup(selector.toString(), domain.toString(), deadline));
        Map<String, Long> bodyLengths = new HashMap<>();

        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < examined; i++) {
            String label = total > 1 ? " (signature " + (i + 1) + " of " + total + ")" : "";
            pending.add(precheck(mail, fields.get(i), label, kind, fromAddress, bodyLengths));
        }
        // A signature that already failed the policy cannot make the mail authentic: verify the
        // others first, so an acceptable one is found with the fewest DNS queries.
        pending.sort(Comparator.comparing(p -> !p.policyOk()));
        List<SignatureResult> results = new ArrayList<>();
        for (Pending p : pending) {
            SignatureResult r = p.malformed != null ? p.malformedResult() : verifyCrypto(mail, p, retriever);
            results.add(r);
            if (r.acceptable()) {
                break;
            }
        }
        return results;
    }

    /** One signature after the checks that need no DNS. */
    private static final class Pending {
        final String field;
        final SignatureTags tags;
        final String id;
        final List<String> signedFields;
        final List<Check> policy = new ArrayList<>();
        Check malformed;

        Pending(String field, String label, SignatureTags tags, List<String> signedFields) {
            this.field = field;
            this.tags = tags;
            this.id = tags == null ? "signature" + label
                    : "signature d=" + Untrusted.quote(tags.compact("d")) + " s=" + Untrusted.quote(tags.selector()) + label;
            this.signedFields = signedFields;
        }

        boolean policyOk() {
            return malformed == null && policy.stream().allMatch(Check::ok);
        }

        SignatureResult malformedResult() {
            return new SignatureResult(tags == null ? "" : tags.compact("d"), tags == null ? "" : tags.selector(),
                    tags == null ? "" : tags.algorithm(), 0, signedFields, List.of(malformed));
        }
    }

    private Pending precheck(MailBytes mail, String field, String label, MessageKind kind, String fromAddress,
                             Map<String, Long> bodyLengths) {
        SignatureTags tags;
        try {
            tags = SignatureTags.parse(MailBytes.valueOf(field));
        } catch (SignatureTags.Malformed e) {
            Pending p = new Pending(field, label, null, List.of());
            p.malformed = Check.fail(FailureCode.DKIM_INVALID, p.id + ": malformed DKIM-Signature: " + e.getMessage());
            return p;
        }
        List<String> signed;
        SignatureTags.Malformed signedProblem = null;
        try {
            signed = tags.signedFields();
        } catch (SignatureTags.Malformed e) {
            signed = List.of();
            signedProblem = e;
        }
        Pending p = new Pending(field, label, tags, signed);
        try {
            tags.validate(signedProblem);
        } catch (SignatureTags.Malformed e) {
            p.malformed = Check.fail(FailureCode.DKIM_INVALID, p.id + ": malformed DKIM-Signature: " + e.getMessage());
            return p;
        }
        String a = tags.algorithm();
        if (!a.equals("rsa-sha256") && !a.equals("rsa-sha1") && !a.equals(Ed25519Sha256.ALGORITHM)) {
            p.malformed = Check.fail(FailureCode.DKIM_INVALID, p.id + ": a=" + Untrusted.quote(a)
                    + " is not supported (rsa-sha256 or ed25519-sha256)");
            return p;
        }
        String unreadable = mail.malformedField() != null ? "the header has a line that is not a field"
                + " (RFC 5322 §2.2), which DKIM verifiers read differently: not verified (D21)" : null;
        String control = unreadable == null && relaxedHeaders(tags) ? controlAtEnds(mail, field, signed) : unreadable;
        if (control != null) {
            p.malformed = Check.fail(FailureCode.DKIM_INVALID, p.id + ": " + control);
            return p;
        }
        p.policy.add(alignment(p.id, tags, fromAddress));
        p.policy.add(headerList(p.id, signed, kind));
        p.policy.add(a.equals("rsa-sha1")
                ? Check.fail(FailureCode.DKIM_SHA1, p.id + ": a=rsa-sha1 MUST NOT be used (RFC 8301 §3.1)")
                : Check.pass(FailureCode.DKIM_SHA1, p.id + ": a=" + a));
        p.policy.add(bodyLength(p.id, tags, mail, bodyLengths));
        return p;
    }

    private static boolean relaxedHeaders(SignatureTags tags) {
        return tags.get("c").map(v -> v.strip().toLowerCase(Locale.ROOT).startsWith("relaxed")).orElse(false);
    }

    /**
     * Why this signature cannot be verified the way RFC 6376 §3.4.2 says, or null: a field it signs (itself
     * included) begins or ends with a control character, which jDKIM's relaxed canonicalisation drops and
     * the RFC keeps (D21). Every instance of a signed name is looked at, not only those h= selects: stricter,
     * and no real signer puts such a character there.
     */
    private static String controlAtEnds(MailBytes mail, String signature, List<String> signed) {
        int own = MailBytes.controlAtEnds(signature);
        if (own >= 0) {
            return "the DKIM-Signature field " + controlText(own);
        }
        for (String name : new LinkedHashSet<>(signed)) {
            for (String f : mail.getFields(name)) {
                int c = MailBytes.controlAtEnds(f);
                if (c >= 0) {
                    return "the signed field " + Untrusted.quote(MailBytes.nameOf(f)) + " " + controlText(c);
                }
            }
        }
        return null;
    }

    private static String controlText(int c) {
        return String.format(Locale.ROOT, "begins or ends with control character U+%04X, which relaxed"
                + " canonicalisation keeps (RFC 6376 §3.4.2) and jDKIM drops: not verified (D21)", c);
    }

    private static Check alignment(String id, SignatureTags tags, String fromAddress) {
        if (fromAddress == null || fromAddress.lastIndexOf('@') < 0) {
            return Check.fail(FailureCode.DKIM_MISALIGNED, id + ": no single From address to compare d= with");
        }
        String fromDomain = Addresses.domainOf(fromAddress);
        Optional<String> fromA = Addresses.aLabel(fromDomain);
        Optional<String> dA = Addresses.aLabel(tags.compact("d"));
        if (fromA.isEmpty() || dA.isEmpty()) {
            return Check.fail(FailureCode.DKIM_MISALIGNED, id + ": d= or the From domain " + Untrusted.quote(fromDomain)
                    + " is not a valid domain name");
        }
        if (!fromA.get().equals(dA.get())) {
            return Check.fail(FailureCode.DKIM_MISALIGNED, id + ": d= is not the From domain "
                    + Untrusted.quote(fromDomain) + " (exact match required, RFC 8823 §3.1/§3.2)");
        }
        return Check.pass(FailureCode.DKIM_MISALIGNED, id + ": d= equals the From domain");
    }

    private static Check headerList(String id, List<String> signed, MessageKind kind) {
        List<String> required = SignedFields.required(kind);
        String list = kind == MessageKind.CHALLENGE ? "D2" : "D7";
        List<String> missing = SignedFields.missing(required, signed);
        if (missing.isEmpty()) {
            return Check.pass(FailureCode.DKIM_HEADERS, id + ": h= names all " + required.size() + " fields of the "
                    + list + " list");
        }
        String from = missing.stream().anyMatch(n -> n.equalsIgnoreCase("From")) ? " (From MUST be signed, RFC 6376 §5.4)" : "";
        return Check.fail(FailureCode.DKIM_HEADERS, id + ": h= lacks " + String.join(", ", missing) + " of the "
                + list + " list" + from);
    }

    private static Check bodyLength(String id, SignatureTags tags, MailBytes mail, Map<String, Long> bodyLengths) {
        Optional<BigInteger> l;
        try {
            l = tags.bodyLength();
        } catch (SignatureTags.Malformed e) {
            return Check.fail(FailureCode.DKIM_BODY_LENGTH, id + ": " + e.getMessage());
        }
        if (l.isEmpty()) {
            return Check.pass(FailureCode.DKIM_BODY_LENGTH, id + ": no l=, the whole body is signed");
        }
        String c = tags.get("c").map(v -> v.replaceAll("\\s", "").toLowerCase(Locale.ROOT)).orElse("simple/simple");
        boolean relaxed = c.endsWith("/relaxed");
        long length = bodyLengths.computeIfAbsent(relaxed ? "relaxed" : "simple",
                k -> canonicalBodyLength(mail, relaxed));
        int cmp = l.get().compareTo(BigInteger.valueOf(length));
        if (cmp < 0) {
            return Check.fail(FailureCode.DKIM_BODY_LENGTH, id + ": l=" + l.get() + " signs only part of the "
                    + length + "-octet canonicalized body; the rest could be appended by anyone (RFC 6376 §8.2)");
        }
        if (cmp > 0) {
            return Check.fail(FailureCode.DKIM_BODY_LENGTH, id + ": l=" + Untrusted.quote(l.get().toString())
                    + " exceeds the " + length + "-octet canonicalized body");
        }
        return Check.pass(FailureCode.DKIM_BODY_LENGTH, id + ": l= covers the whole body (" + length + " octets)");
    }

    private static long canonicalBodyLength(MailBytes mail, boolean relaxed) {
        Counter counter = new Counter();
        try (OutputStream canon = relaxed ? new RelaxedBodyCanonicalizer(counter) : new SimpleBodyCanonicalizer(counter)) {
            mail.writeBody(canon);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory stream failed", e);
        }
        return counter.count;
    }

    private static final class Counter extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }

    private SignatureResult verifyCrypto(MailBytes mail, Pending p, PublicKeyRecordRetriever retriever) {
        OneSignature jdkim = new OneSignature(retriever, keyCache);
        Check crypto;
        boolean temp = false;
        try {
            // jDKIM copies the body in 2 KB writes; its simple canonicalizer is not quite
            // independent of where writes split, so its own copy loop is kept
            List<SignatureRecord> passed = p.tags.algorithm().equals(Ed25519Sha256.ALGORITHM)
                    ? List.of(Ed25519Sha256.verify(jdkim, mail, mail, p.field))
                    : jdkim.verify(jdkim.only(mail, p.field), mail.body());
            crypto = passed != null && !passed.isEmpty()
                    ? null
                    : Check.fail(FailureCode.DKIM_INVALID, p.id + ": jDKIM returned no verified signature");
        } catch (TempFailException e) {
            temp = true;
            crypto = Check.fail(FailureCode.DKIM_TEMPERROR, p.id + ": " + library(e.getMessage()) + "; retry later (D16)");
        } catch (PermFailException e) {
            crypto = Check.fail(FailureCode.DKIM_INVALID, p.id + ": " + library(e.getMessage()));
        } catch (FailException | IOException | RuntimeException e) {
            // jDKIM throws unchecked exceptions on hostile records and bodies it did not foresee; a signature
            // that could not be verified is not verified (D11), so the check fails closed, naming the cause
            crypto = Check.fail(FailureCode.DKIM_INVALID, p.id + ": verification error: " + library(e.toString()));
        }
        int bits = jdkim.keyBits();
        List<Check> more = new ArrayList<>();
        if (bits > 0 && jdkim.ed25519) {
            more.add(Check.pass(FailureCode.DKIM_WEAK_KEY, p.id + ": Ed25519 key (RFC 8463)"));
        } else if (bits > 0) {
            more.add(bits < MIN_KEY_BITS
                    ? Check.fail(FailureCode.DKIM_WEAK_KEY, p.id + ": RSA key has " + bits + " bits, under the "
                            + MIN_KEY_BITS + " RFC 8301 §3.2 requires")
                    : Check.pass(FailureCode.DKIM_WEAK_KEY, p.id + ": RSA key has " + bits + " bits"));
        } else if (jdkim.keyProblem != null && !temp) {
            crypto = crypto != null ? crypto : Check.fail(FailureCode.DKIM_INVALID, p.id + ": " + jdkim.keyProblem);
        }
        if (crypto == null && jdkim.testing()) {
            crypto = Check.fail(FailureCode.DKIM_INVALID, p.id + ": the key record is in testing mode (t=y), which"
                    + " verifiers MUST treat as unsigned (RFC 6376 §3.6.1)");
        }
        if (crypto == null) {
            crypto = Check.pass(FailureCode.DKIM_INVALID, p.id + ": signature verifies (a=" + p.tags.algorithm()
                    + (bits > 0 ? ", " + bits + "-bit key" : "") + ")");
        }
        List<Check> checks = new ArrayList<>();
        checks.add(crypto);
        checks.addAll(p.policy);
        checks.addAll(more);
        return new SignatureResult(p.tags.compact("d"), p.tags.selector(), p.tags.algorithm(), bits, p.signedFields, checks);
    }

    /** Longest library message kept in a detail, in characters. */
    private static final int MAX_LIBRARY_MESSAGE = 240;

    /**
     * A jDKIM or resolver message for a detail: kept verbatim as the library's id (style: keep the
     * library's wording), but it may echo mail content (tags, names), so control characters are
     * masked and the length is bounded.
     */
    static String library(String message) {
        if (message == null) {
            return "(no message)";
        }
        StringBuilder sb = new StringBuilder(Math.min(message.length(), MAX_LIBRARY_MESSAGE + 3));
        for (int i = 0; i < message.length(); i++) {
            if (i == MAX_LIBRARY_MESSAGE) {
                return sb.append("...").toString();
            }
            char c = message.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }

    /**
     * jDKIM's verifier restricted to one signature, so that each signature's failure is reported
     * on its own (jDKIM 0.3 folds several failures into "found N invalid signatures"), and
     * remembering the key it selected, whose size the policy checks.
     */
    private static final class OneSignature extends DKIMVerifier {
        private final BoundedMemo<List<String>, CachedKeyRecord> keyCache;
        private CachedKeyRecord key;
        private String keyProblem;
        /** Whether the selected key is an Ed25519 key; set by {@link #keyBits()}. */
        private boolean ed25519;

        OneSignature(PublicKeyRecordRetriever retriever, BoundedMemo<List<String>, CachedKeyRecord> keyCache) {
            super(retriever);
            this.keyCache = keyCache;
        }

        @Override
        public SignatureRecord newSignatureRecord(String record) {
            return new QuickSignatureRecord(record);
        }

        /** jDKIM's key record, reading {@code k=ed25519} keys too (RFC 8463 §4.2). */
        @Override
        protected PublicKeyRecord newPublicKeyRecord(String record) {
            return new DnsKeyRecord(record);
        }

        /**
         * jDKIM's selection (parse, then validate each record until one passes), done once per
         * distinct record set: the text of the records alone decides the outcome. A failure is not
         * kept, so it is reported with jDKIM's own message each time.
         */
        @Override
        public PublicKeyRecord publicKeySelector(List<String> records) throws PermFailException {
            List<String> source = cacheable(records) ? List.copyOf(records) : null;
            CachedKeyRecord selected = source == null ? null : keyCache.get(source);
            if (selected == null) {
                selected = new CachedKeyRecord(super.publicKeySelector(records));
                if (source != null) {
                    keyCache.put(source, selected);
                }
            }
            this.key = selected;
            return selected;
        }

        private static boolean cacheable(List<String> records) {
            if (records == null || records.isEmpty()) {
                return false;
            }
            for (String r : records) {
                if (r == null) {
                    return false;
                }
            }
            return true;
        }

        private boolean isEd25519Record() {
            try {
                return key.isKeyTypeSupported(DkimKeys.ED25519_KEY_TYPE);
            } catch (RuntimeException e) {
                return false;
            }
        }

        boolean testing() {
            try {
                return key != null && key.isTesting();
            } catch (RuntimeException e) {
                // an unreadable t= flag cannot say "testing": the signature is judged as any other (RFC 6376 §3.6.1)
                return false;
            }
        }

        int keyBits() {
            if (key == null) {
                return 0;
            }
            try {
                PublicKey pk = key.getPublicKey();
                ed25519 = DkimKeys.isEd25519(pk);
                return pk instanceof RSAPublicKey rsa ? rsa.getModulus().bitLength() : ed25519 ? ED25519_BITS : 0;
            } catch (RuntimeException e) {
                // jDKIM decodes p= lazily and throws unchecked on a cut or hostile key: 0 bits fails dkim-weak-key
                // (D12), and the problem is named for the admin
                keyProblem = "the key record's p= is not a usable " + (isEd25519Record() ? "Ed25519" : "RSA") + " key";
                return 0;
            }
        }

        /**
         * The mail's fields, except that jDKIM's first request for DKIM-Signature fields (made by
         * {@code newBodyHasher} to list the signatures to verify) sees only {@code field}; later
         * requests (an {@code h=} naming DKIM-Signature) see them all, as signed.
         */
        Headers only(MailBytes mail, String field) {
            return new Headers() {
                private boolean listed;

                @Override
                public List<String> getFields() {
                    return mail.getFields();
                }

                @Override
                public List<String> getFields(String name) {
                    if (!listed && DKIM_SIGNATURE.equalsIgnoreCase(name)) {
                        listed = true;
                        return List.of(field);
                    }
                    return mail.getFields(name);
                }
            };
        }
    }

    /** Options of {@link DkimPolicyVerifier}. Do not reuse after {@link #build()}. */
    public static final class Builder {
        private DkimKeyResolver resolver;
        private Duration dnsBudget = Duration.ofMillis(DEFAULT_DNS_BUDGET_MILLIS);
        private PluginMetrics metrics = PluginMetrics.NONE;

        private Builder() {
        }

        /** Where each verification's time goes ({@link MetricNames#DKIM_VERIFY_TIME}); default none. */
        public Builder metrics(PluginMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Where keys come from; default {@link DkimKeyResolver#systemDefault()}. */
        public Builder keyResolver(DkimKeyResolver resolver) {
            this.resolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /** Time all key lookups of one mail may take together; default 6 s, at most 60 s. */
        public Builder dnsBudget(Duration budget) {
            if (budget.isNegative() || budget.isZero() || budget.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("DNS budget must be between 1 ms and 60 s: " + budget);
            }
            this.dnsBudget = budget;
            return this;
        }

        public DkimPolicyVerifier build() {
            return new DkimPolicyVerifier(this);
        }
    }
}
