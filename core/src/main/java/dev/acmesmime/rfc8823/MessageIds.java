package dev.acmesmime.rfc8823;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two ways a response names the challenge it answers besides its Subject: the Message-IDs in
 * In-Reply-To and References (R10, RFC 5322 §3.6.4) and the sub-address tag of the address it was
 * sent to ({@code acme+<tag>@ca.example}). One msg-id syntax for the whole plugin: the simple form
 * {@code <id-left@id-right>} of RFC 5322 §3.6.4, without white space or further brackets.
 */
public final class MessageIds {

    /** One msg-id, {@code <left@right>}. */
    public static final Pattern SYNTAX = Pattern.compile("<[^<>\\s@]+@[^<>\\s@]+>");

    private MessageIds() {
    }

    /** {@code true} when {@code value} is exactly one msg-id. */
    public static boolean isMessageId(String value) {
        return value != null && SYNTAX.matcher(value).matches();
    }

    /**
     * Message-IDs named by In-Reply-To and References, in order; a bare {@code left@right} without
     * brackets counts too (acmez writes them so).
     */
    public static Set<String> referenced(String inReplyTo, String references) {
        Set<String> ids = new LinkedHashSet<>();
        for (String field : new String[] {inReplyTo, references}) {
            if (field == null || field.isBlank()) {
                continue;
            }
            Matcher m = SYNTAX.matcher(field);
            boolean any = false;
            while (m.find()) {
                ids.add(m.group());
                any = true;
            }
            String bare = "<" + field.trim() + ">";
            if (!any && isMessageId(bare)) {
                ids.add(bare);
            }
        }
        return ids;
    }

    /** Sub-address tags of the recipients: {@code acme+<tag>@ca.example} gives {@code <tag>}. */
    public static Set<String> tags(List<String> recipients) {
        Set<String> tags = new LinkedHashSet<>();
        for (String r : recipients) {
            String tag = tagOf(r);
            if (tag != null) {
                tags.add(tag);
            }
        }
        return tags;
    }

    /** The sub-address tag of one address, or {@code null}. */
    public static String tagOf(String address) {
        int at = address.lastIndexOf('@');
        String local = at < 0 ? address : address.substring(0, at);
        int plus = local.indexOf('+');
        return plus >= 0 && plus < local.length() - 1 ? local.substring(plus + 1) : null;
    }
}
