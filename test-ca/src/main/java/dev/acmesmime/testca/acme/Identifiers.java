package dev.acmesmime.testca.acme;

import com.fasterxml.jackson.databind.JsonNode;
import dev.acmesmime.rfc8823.Addresses;
import dev.acmesmime.rfc8823.Mailboxes;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A newOrder's identifiers (RFC 8555 §7.4), as RFC 8823 §3 and the S/MIME BRs allow them: type {@code email}
 * only, one plain mailbox each (core {@code Addresses}: no display name, no quoted local part, no domain
 * literal), a domain IDNA accepts, and no wildcard ({@code *}) anywhere. Anything else is rejectedIdentifier
 * with a detail naming the identifier. Duplicates collapse into one.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3">RFC 8823 §3</a>
 */
public final class Identifiers {
    /** More addresses than this in one order are refused: an S/MIME certificate names a mailbox or a few. */
    public static final int MAX = 10;

    private Identifiers() {
    }

    /** The order's addresses, normalised (domain lower case), in order. */
    public static List<String> parse(JsonNode identifiers) {
        if (identifiers == null || !identifiers.isArray() || identifiers.isEmpty()) {
            throw Problem.of(ProblemType.MALFORMED, "identifiers must be a non-empty array").exception();
        }
        if (identifiers.size() > MAX) {
            throw Problem.of(ProblemType.REJECTED_IDENTIFIER, "at most " + MAX + " identifiers per order")
                    .exception();
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode i : identifiers) {
            out.add(one(i.path("type").asText(""), i.path("value").asText("")));
        }
        return new ArrayList<>(out);
    }

    static String one(String type, String value) {
        String named = type + " identifier " + value;
        if (!"email".equals(type)) {
            throw Problem.of(ProblemType.REJECTED_IDENTIFIER, named + ": this CA issues for email identifiers "
                    + "only (RFC 8823)").exception();
        }
        if (value.contains("*")) {
            throw Problem.of(ProblemType.REJECTED_IDENTIFIER, named + ": wildcards are not allowed").exception();
        }
        List<String> parsed = Addresses.mailboxes(value);
        if (parsed.size() != 1 || !parsed.get(0).equals(value)
                || Addresses.aLabel(Addresses.domainOf(value)).isEmpty()) {
            throw Problem.of(ProblemType.REJECTED_IDENTIFIER, named + ": not a plain mailbox address (local@domain)")
                    .exception();
        }
        return Mailboxes.normalize(value);
    }
}
