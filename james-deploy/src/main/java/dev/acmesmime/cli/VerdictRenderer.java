package dev.acmesmime.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.acmesmime.json.RecordJson;
import dev.acmesmime.rfc8823.Check;
import dev.acmesmime.rfc8823.ExtractedValues;
import dev.acmesmime.rfc8823.FailureCode;
import dev.acmesmime.rfc8823.Verdict;

/**
 * Renders a {@link Verdict} for people (one line per check: a passing one by its check's name, a failed
 * one by its failure code) or as one JSON object (each check with its {@code check} name and its {@code code}).
 */
final class VerdictRenderer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VerdictRenderer() {
    }

    static String human(Verdict v) {
        StringBuilder sb = new StringBuilder();
        sb.append("kind:    ").append(v.kind().label()).append('\n');
        sb.append("verdict: ").append(v.valid() ? "valid" : "invalid");
        if (!v.failureCodes().isEmpty()) {
            sb.append(" (").append(String.join(", ", v.failureCodes().stream().map(FailureCode::code).toList())).append(')');
        }
        sb.append('\n');
        for (Check c : v.checks()) {
            sb.append(c.ok() ? "  ok    " : "  FAIL  ").append(c.label()).append(": ").append(c.detail()).append('\n');
        }
        ExtractedValues x = v.values();
        line(sb, "token-part1", x.tokenPart1());
        line(sb, "from", x.from());
        line(sb, "to", x.to());
        line(sb, "reply-to", x.replyTo());
        line(sb, "message-id", x.messageId());
        line(sb, "in-reply-to", x.inReplyTo());
        line(sb, "digest", x.digest());
        if (!v.leniencies().isEmpty()) {
            line(sb, "leniency used", String.join(", ", v.leniencies()));
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append(String.format("%-12s %s%n", name + ":", value));
        }
    }

    static String json(Verdict v) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("kind", v.kind().label());
        out.put("verdict", v.valid() ? "valid" : "invalid");
        out.put("valid", v.valid());
        out.put("retryable", v.retryable());
        out.put("failures", v.failureCodes().stream().map(FailureCode::code).toList());
        // the evidence records' shape of a check, plus its rule IDs for the reader at the terminal
        List<ObjectNode> checks = v.checks().stream().map(c -> {
            ObjectNode o = RecordJson.object();
            RecordJson.check(o, c);
            o.put("check", c.code().check());
            o.put("rules", c.code().rules());
            return o;
        }).collect(Collectors.toList());
        out.put("checks", checks);
        ExtractedValues x = v.values();
        out.put("tokenPart1", x.tokenPart1());
        out.put("from", x.from());
        out.put("to", x.to());
        out.put("replyTo", x.replyTo());
        out.put("messageId", x.messageId());
        out.put("inReplyTo", x.inReplyTo());
        out.put("references", x.references());
        out.put("digest", x.digest());
        out.put("leniencies", v.leniencies());
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render a map of strings as JSON", e);
        }
    }
}
