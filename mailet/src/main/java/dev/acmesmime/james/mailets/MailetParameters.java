package dev.acmesmime.james.mailets;

import javax.mail.MessagingException;

import org.apache.mailet.base.GenericMailet;

/**
 * Reads a mailet's parameters once, in {@code init()}, and stops James at start-up with a message
 * that names the parameter (James style: "'x' must be …").
 */
final class MailetParameters {
    private MailetParameters() {
    }

    /** A parameter that must be present and not blank, trimmed. */
    static String mandatory(GenericMailet mailet, String name) throws MessagingException {
        String v = mailet.getInitParameter(name);
        if (v == null || v.isBlank()) {
            throw new MessagingException("'" + name + "' is a mandatory parameter of " + mailet.getMailetName());
        }
        return v.trim();
    }

    /** An optional whole number in {@code [min, max]}; {@code dflt} when absent or blank. */
    static int intParameter(GenericMailet mailet, String name, int dflt, int min, int max) throws MessagingException {
        String v = mailet.getInitParameter(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the range
        }
        throw new MessagingException("'" + name + "' must be a number from " + min + " to " + max + ", got '" + v + "'");
    }
}
