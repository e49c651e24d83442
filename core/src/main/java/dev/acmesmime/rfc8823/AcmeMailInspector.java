package dev.acmesmime.rfc8823;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.acmesmime.rfc8823.mime.HeaderField;
import dev.acmesmime.rfc8823.mime.MailParser;
import dev.acmesmime.rfc8823.mime.MalformedMailException;
import dev.acmesmime.rfc8823.mime.ParsedMail;

/**
 * Inspects raw mails against RFC 8823 and returns a {@link Verdict}. Never throws for bad mail.
 * <p>
 * Strict by default; every relaxation is a named {@link Leniency}. Thread-safe and reusable.
 *
 * <pre>{@code
 * AcmeMailInspector inspector = AcmeMailInspector.builder()
 *         .authenticity(dkimVerifier)
 *         .build();
 * Verdict v = inspector.inspectChallenge(raw, Expectations.builder().expectedFrom(challengeFrom).build());
 * }</pre>
 *
 * <h2>What is checked</h2>
 * A <b>challenge</b> (RFC 8823 §3.1): Subject {@code ACME: <token-part1>} with encoded words
 * decoded and whitespace removed ({@code subject-syntax}, C4–C6), no reply prefix
 * ({@code reply-prefix}, C21), at least 128 bits of token ({@code token-too-short}, C4), only
 * UTF-8/US-ASCII encoded words ({@code charset}, C7), exactly one Auto-Submitted parsed as a
 * structured field with keyword {@code auto-generated}, parameters and comments allowed, type=acme
 * not required ({@code auto-submitted}, C12–C14, C23, C24), exactly one From and one To mailbox
 * ({@code from}, {@code to}, X7), no repeated single-instance field ({@code duplicate-header}, D14),
 * and, when expected values are given, From ({@code unexpected-sender}, C9) and To ({@code to}, C10).
 * <p>
 * A <b>response</b> (RFC 8823 §3.2): Subject with any prefix before the last {@code ACME:}
 * (R1, R2), no {@code List-*} field ({@code list-header}, R7), exactly one From mailbox
 * ({@code from}, R3) equal to the expected one ({@code unexpected-sender}), a To naming the expected
 * address ({@code to}, R4; Cc is ignored, R5), no duplicates (D14), the response block in
 * text/plain ({@code body-format}, R8, R9, X11), a base64url SHA-256 digest ({@code digest-syntax})
 * that equals the key authorization digest when token-part2 and the thumbprint are given
 * ({@code digest-mismatch}, compared in constant time, padding optional, X1).
 * <p>
 * Then the configured {@link AuthenticityVerifier} runs (C15, R15). Every check runs and is listed
 * in the verdict; only unreadable input stops early with {@code malformed}.
 *
 * <h2>Limits</h2>
 * Input beyond these limits is {@code malformed}: at most {@value #MAX_MESSAGE_BYTES} bytes,
 * {@value #MAX_HEADER_FIELDS} header fields per header section, {@value #MAX_HEADER_FIELD_BYTES}
 * bytes per header field (folded lines included), {@value #MAX_LINE_BYTES} bytes per line,
 * {@value #MAX_NESTING_DEPTH} levels of MIME nesting and {@value #MAX_PARTS} body parts. A header
 * section with no field, or with a line that is no field, is {@code malformed} too.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3">RFC 8823 §3</a>
 */
public final class AcmeMailInspector {

    /** Largest message accepted, in bytes. */
    public static final int MAX_MESSAGE_BYTES = MailParser.MAX_MESSAGE_BYTES;
    /** Most header fields in one header section. */
    public static final int MAX_HEADER_FIELDS = MailParser.MAX_HEADER_FIELDS;
    /** Longest header field (with its continuation lines), in bytes. */
    public static final int MAX_HEADER_FIELD_BYTES = MailParser.MAX_HEADER_FIELD_BYTES;
    /** Longest line, in bytes. */
    public static final int MAX_LINE_BYTES = MailParser.MAX_LINE_BYTES;
    /** Deepest MIME nesting; the message itself is level 1. */
    public static final int MAX_NESTING_DEPTH = MailParser.MAX_NESTING_DEPTH;
    /** Most body parts. */
    public static final int MAX_PARTS = MailParser.MAX_PARTS;

    /** RFC 5322 §3.6 fields allowed at most once, plus Auto-Submitted (RFC 3834 §5.1, C23); D14. */
    static final List<String> SINGLE_INSTANCE = List.of("From", "To", "Cc", "Subject", "Date", "Reply-To", "Sender",
            "Message-ID", "In-Reply-To", "References", "Auto-Submitted");

    private final Set<Leniency> leniencies;
    private final AuthenticityVerifier authenticity;
    private final Clock clock;

    private AcmeMailInspector(Builder b) {
        this.leniencies = b.leniencies.isEmpty() ? EnumSet.noneOf(Leniency.class) : EnumSet.copyOf(b.leniencies);
        this.authenticity = b.authenticity;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Classifies the mail and runs the matching checks, with no expectations. */
    public Verdict inspect(byte[] raw) {
        return inspect(raw, Expectations.NONE);
    }

    /**
     * Classifies the mail (challenge, response or other) and runs the matching checks.
     * <p>
     * Classification: no {@code ACME:} label in the Subject and no response block in the body is
     * {@link MessageKind#OTHER} ({@code not-acme}); an unquoted BEGIN ACME RESPONSE line makes a
     * response; otherwise a Subject with nothing before the label, or an
     * {@code Auto-Submitted: auto-generated} field, makes a challenge, and anything else a response.
     */
    public Verdict inspect(byte[] raw, Expectations expectations) {
        Objects.requireNonNull(expectations, "expectations");
        ParsedMail mail;
        try {
            mail = MailParser.parse(raw);
        } catch (MalformedMailException e) {
            return malformed(e);
        }
        SubjectRule subject = subject(mail);
        boolean block = ResponseBody.hasBlock(mail);
        if (!subject.hasLabel() && !block) {
            return notAcme(mail, "no \"ACME:\" label in the Subject and no ACME RESPONSE block");
        }
        MessageKind kind;
        if (block) {
            kind = MessageKind.RESPONSE;
        } else if (subject.unprefixed() || autoGenerated(mail)) {
            kind = MessageKind.CHALLENGE;
        } else {
            kind = MessageKind.RESPONSE;
        }
        return kind == MessageKind.CHALLENGE
                ? challenge(raw, mail, subject, expectations)
                : response(raw, mail, subject, expectations);
    }

    /**
     * Runs the challenge checks (C4–C14, C21, C23, C24, D14) and authenticity.
     * {@code not-acme} when the Subject has no {@code ACME:} label at all.
     */
    public Verdict inspectChallenge(byte[] raw, Expectations expectations) {
        Objects.requireNonNull(expectations, "expectations");
        ParsedMail mail;
        try {
            mail = MailParser.parse(raw);
        } catch (MalformedMailException e) {
            return malformed(e);
        }
        SubjectRule subject = subject(mail);
        if (!subject.hasLabel()) {
            return notAcme(mail, "no \"ACME:\" label in the Subject, so no challenge (C4)");
        }
        return challenge(raw, mail, subject, expectations);
    }

    /**
     * Runs the response checks (R1–R14, D14) and authenticity.
     * {@code not-acme} when there is neither an {@code ACME:} label in the Subject nor a response block.
     */
    public Verdict inspectResponse(byte[] raw, Expectations expectations) {
        return readResponse(raw).inspect(expectations, authenticity);
    }

    /**
     * Parses a response once, to be checked when the expectations are known: the CA finds the
     * challenge by the token-part1 a first inspection without expectations reads, then checks the mail
     * against it with the verifier of its choice (RFC 8823 §3.2, R1–R15).
     */
    public ResponseReading readResponse(byte[] raw) {
        ParsedMail mail;
        try {
            mail = MailParser.parse(raw);
        } catch (MalformedMailException e) {
            return new ResponseReading(this, raw, null, null, malformed(e));
        }
        SubjectRule subject = subject(mail);
        if (!subject.hasLabel() && !ResponseBody.hasBlock(mail)) {
            return new ResponseReading(this, raw, mail, subject, notAcme(mail,
                    "no \"ACME:\" label in the Subject and no ACME RESPONSE block, so no response (R1)"));
        }
        return new ResponseReading(this, raw, mail, subject, null);
    }

    Set<Leniency> leniencies() {
        return leniencies;
    }

    private Verdict challenge(byte[] raw, ParsedMail mail, SubjectRule subject, Expectations exp) {
        List<Check> checks = new ArrayList<>();
        List<String> used = new ArrayList<>();
        SubjectRule.Outcome s = subject.check(MessageKind.CHALLENGE, leniencies);
        checks.addAll(s.checks());
        if (s.labelCaseLeniencyUsed()) {
            used.add(Leniency.SUBJECT_LABEL_CASE.option());
        }
        checks.add(autoSubmittedCheck(mail, used));

        Single from = single(mail, "From", FailureCode.FROM, "C9");
        checks.add(from.check());
        Single to = single(mail, "To", FailureCode.TO, "C10");
        checks.add(to.check());
        checks.add(duplicates(mail));
        if (exp.expectedFrom() != null) {
            checks.add(expectedSender(from.address(), exp.expectedFrom(), "C9"));
        }
        if (exp.expectedTo() != null) {
            checks.add(Addresses.sameMailbox(to.address(), exp.expectedTo())
                    ? Check.pass(FailureCode.TO, "To is the expected " + Untrusted.quote(exp.expectedTo()))
                    : Check.fail(FailureCode.TO, "To " + Untrusted.quote(to.address()) + " is not the expected "
                    + Untrusted.quote(exp.expectedTo()) + " (C10)"));
        }
        checks.addAll(authenticity(authenticity, raw, MessageKind.CHALLENGE, from.address()));
        return new Verdict(MessageKind.CHALLENGE, checks, values(mail, s.tokenPart1(), from.address(), null), used);
    }

    private Verdict response(byte[] raw, ParsedMail mail, SubjectRule subject, Expectations exp) {
        return response(raw, mail, subject, exp, authenticity);
    }

    Verdict response(byte[] raw, ParsedMail mail, SubjectRule subject, Expectations exp, AuthenticityVerifier verifier) {
        List<Check> checks = new ArrayList<>();
        List<String> used = new ArrayList<>();
        SubjectRule.Outcome s = subject.check(MessageKind.RESPONSE, leniencies);
        checks.addAll(s.checks());
        if (s.labelCaseLeniencyUsed()) {
            used.add(Leniency.SUBJECT_LABEL_CASE.option());
        }
        checks.add(listHeaders(mail));
        Single from = single(mail, "From", FailureCode.FROM, "R3");
        checks.add(from.check());
        if (exp.expectedFrom() != null) {
            checks.add(expectedSender(from.address(), exp.expectedFrom(), "R3"));
        }
        checks.add(responseTo(mail, exp.expectedTo()));
        checks.add(duplicates(mail));
        ResponseBody.Outcome body = ResponseBody.check(mail, s.tokenPart1(), exp, leniencies);
        checks.addAll(body.checks());
        if (body.byteConcatenationUsed()) {
            used.add(Leniency.BYTE_CONCATENATION.option());
        }
        checks.addAll(authenticity(verifier, raw, MessageKind.RESPONSE, from.address()));
        return new Verdict(MessageKind.RESPONSE, checks, values(mail, s.tokenPart1(), from.address(), body.digest()), used);
    }

    /** C12, C13, C14, C23, C24: exactly one Auto-Submitted, keyword auto-generated, parameters tolerated. */
    private Check autoSubmittedCheck(ParsedMail mail, List<String> used) {
        List<HeaderField> fields = mail.all("Auto-Submitted");
        if (fields.isEmpty()) {
            if (leniencies.contains(Leniency.MISSING_AUTO_SUBMITTED)) {
                used.add(Leniency.MISSING_AUTO_SUBMITTED.option());
                return Check.pass(FailureCode.AUTO_SUBMITTED, "no Auto-Submitted field, accepted under leniency "
                        + Leniency.MISSING_AUTO_SUBMITTED.option());
            }
            return Check.fail(FailureCode.AUTO_SUBMITTED, "no Auto-Submitted field; a challenge must carry "
                    + "\"auto-generated\" (C12)");
        }
        if (fields.size() > 1) {
            return Check.fail(FailureCode.AUTO_SUBMITTED, "Auto-Submitted appears " + fields.size()
                    + " times; at most once is allowed (C23)");
        }
        String value = fields.get(0).value();
        AutoSubmitted parsed;
        try {
            parsed = AutoSubmitted.parse(value);
        } catch (AutoSubmitted.SyntaxException e) {
            return Check.fail(FailureCode.AUTO_SUBMITTED, "Auto-Submitted " + Untrusted.quote(value)
                    + " does not parse (RFC 3834 §5.1): " + e.getMessage());
        }
        if (!parsed.isAutoGenerated()) {
            return Check.fail(FailureCode.AUTO_SUBMITTED, "Auto-Submitted keyword " + Untrusted.quote(parsed.keyword())
                    + " is not \"auto-generated\" (C12)");
        }
        return Check.pass(FailureCode.AUTO_SUBMITTED, "auto-generated" + (parsed.hasTypeAcme()
                ? "; type=acme" : " without type=acme (recommended by C13, not required)"));
    }

    /** R7: a response must not come from a mailing list. */
    private static Check listHeaders(ParsedMail mail) {
        Set<String> names = new java.util.LinkedHashSet<>();
        for (HeaderField f : mail.headers()) {
            if (f.lowerName().startsWith("list-")) {
                names.add(f.name());
            }
        }
        if (names.isEmpty()) {
            return Check.pass(FailureCode.LIST_HEADER, "no List-* field");
        }
        return Check.fail(FailureCode.LIST_HEADER, "List-* field(s) present: "
                + Untrusted.quote(String.join(", ", names)) + " (R7)");
    }

    /** R4: To must name the address the CA sent from (its Reply-To, else its From). */
    private static Check responseTo(ParsedMail mail, String expectedTo) {
        List<HeaderField> fields = mail.all("To");
        if (fields.isEmpty()) {
            return Check.fail(FailureCode.TO, "no To field (R4)");
        }
        List<String> all = new ArrayList<>();
        for (HeaderField f : fields) {
            Addresses.Parsed p = Addresses.parse(f.value());
            if (!p.ok()) {
                return Check.fail(FailureCode.TO, "To " + Untrusted.quote(f.value()) + " is no address list: " + p.error());
            }
            all.addAll(p.mailboxes());
        }
        if (expectedTo == null) {
            return Check.pass(FailureCode.TO, "To " + Untrusted.quote(String.join(", ", all)));
        }
        for (String a : all) {
            if (Addresses.sameMailbox(a, expectedTo)) {
                return Check.pass(FailureCode.TO, "To contains the expected " + Untrusted.quote(expectedTo));
            }
        }
        return Check.fail(FailureCode.TO, "To " + Untrusted.quote(String.join(", ", all)) + " does not contain "
                + Untrusted.quote(expectedTo) + " (R4)");
    }

    private static Check expectedSender(String from, String expected, String rule) {
        if (Addresses.sameMailbox(from, expected)) {
            return Check.pass(FailureCode.UNEXPECTED_SENDER, "From is the expected " + Untrusted.quote(expected));
        }
        return Check.fail(FailureCode.UNEXPECTED_SENDER, "From " + Untrusted.quote(from) + " is not the expected "
                + Untrusted.quote(expected) + " (" + rule + ")");
    }

    /** D14: no single-instance field twice. */
    private static Check duplicates(ParsedMail mail) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String name : SINGLE_INSTANCE) {
            int n = mail.all(name).size();
            if (n > 1) {
                counts.put(name, n);
            }
        }
        if (counts.isEmpty()) {
            return Check.pass(FailureCode.DUPLICATE_HEADER, "no repeated single-instance field");
        }
        StringBuilder sb = new StringBuilder("repeated field(s): ");
        counts.forEach((k, v) -> sb.append(k).append(" x").append(v).append(", "));
        sb.setLength(sb.length() - 2);
        return Check.fail(FailureCode.DUPLICATE_HEADER, sb.append(" (D14, RFC 5322 §3.6)").toString());
    }

    /** A field that must occur once with exactly one mailbox (X7). */
    private record Single(Check check, String address) {
    }

    private static Single single(ParsedMail mail, String name, FailureCode code, String rule) {
        List<HeaderField> fields = mail.all(name);
        if (fields.isEmpty()) {
            return new Single(Check.fail(code, "no " + name + " field (" + rule + ")"), null);
        }
        if (fields.size() > 1) {
            return new Single(Check.fail(code, name + " appears " + fields.size() + " times (D14)"), null);
        }
        String value = fields.get(0).value();
        Addresses.Parsed p = Addresses.parse(value);
        if (!p.ok()) {
            return new Single(Check.fail(code, name + " " + Untrusted.quote(value) + " is not a mailbox: " + p.error()), null);
        }
        if (p.mailboxes().size() != 1 || p.groups() > 0) {
            return new Single(Check.fail(code, name + " " + Untrusted.quote(value) + " holds " + p.mailboxes().size()
                    + " mailboxes" + (p.groups() > 0 ? " in a group" : "") + "; exactly one is required (" + rule
                    + ", X7)"), null);
        }
        String address = p.mailboxes().get(0);
        return new Single(Check.pass(code, name + " " + Untrusted.quote(address)), address);
    }

    private static List<Check> authenticity(AuthenticityVerifier verifier, byte[] raw, MessageKind kind, String from) {
        List<Check> result;
        try {
            result = verifier.verify(raw, kind, from);
        } catch (RuntimeException e) {
            // a verifier bug must not turn into "valid" nor crash the caller's pipeline
            return List.of(Check.fail(FailureCode.DKIM_NONE, "authenticity verifier failed: " + e.getClass().getName()));
        }
        // List.of(...).contains(null) throws, so look for null checks by hand
        if (result == null || result.isEmpty() || result.stream().anyMatch(Objects::isNull)) {
            return List.of(Check.fail(FailureCode.DKIM_NONE, "authenticity verifier returned no result"));
        }
        return result;
    }

    private static ExtractedValues values(ParsedMail mail, String token, String from, String digest) {
        return new ExtractedValues(token, from, firstAddress(mail, "To"), firstAddress(mail, "Reply-To"),
                mail.first("Message-ID"), mail.first("In-Reply-To"), mail.first("References"), digest);
    }

    private static String firstAddress(ParsedMail mail, String name) {
        String v = mail.first(name);
        if (v == null) {
            return null;
        }
        Addresses.Parsed p = Addresses.parse(v);
        return p.ok() ? p.mailboxes().get(0) : null;
    }

    /**
     * The Subject to judge: the first one with an ACME label, so that a repeated Subject is reported
     * as {@code duplicate-header} (D14) on an ACME mail instead of hiding it as {@code not-acme}.
     */
    private static SubjectRule subject(ParsedMail mail) {
        List<HeaderField> all = mail.all("Subject");
        for (HeaderField f : all) {
            SubjectRule rule = SubjectRule.of(f.value());
            if (rule.hasLabel()) {
                return rule;
            }
        }
        return SubjectRule.of(all.isEmpty() ? null : all.get(0).value());
    }

    private static boolean autoGenerated(ParsedMail mail) {
        String v = mail.first("Auto-Submitted");
        if (v == null) {
            return false;
        }
        try {
            return AutoSubmitted.parse(v).isAutoGenerated();
        } catch (AutoSubmitted.SyntaxException e) {
            return false;
        }
    }

    private static Verdict malformed(MalformedMailException e) {
        return new Verdict(MessageKind.OTHER, List.of(Check.fail(FailureCode.MALFORMED, e.getMessage())),
                ExtractedValues.NONE, List.of());
    }

    private static Verdict notAcme(ParsedMail mail, String detail) {
        return new Verdict(MessageKind.OTHER, List.of(Check.fail(FailureCode.NOT_ACME, detail)),
                values(mail, null, firstAddress(mail, "From"), null), List.of());
    }

    /** Builder with strict defaults. */
    public static final class Builder {
        private final Set<Leniency> leniencies = EnumSet.noneOf(Leniency.class);
        private AuthenticityVerifier authenticity = AuthenticityVerifier.NOT_PERFORMED;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /** Enables one named relaxation; see {@link Leniency}. */
        public Builder leniency(Leniency leniency) {
            leniencies.add(Objects.requireNonNull(leniency, "leniency"));
            return this;
        }

        /** The signature verifier; without one, no verdict is valid. */
        public Builder authenticity(AuthenticityVerifier verifier) {
            this.authenticity = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public AcmeMailInspector build() {
            return new AcmeMailInspector(this);
        }
    }
}
