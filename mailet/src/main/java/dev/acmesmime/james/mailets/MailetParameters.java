package dev.acmesmime.james.mailets;

import java.io.IOException;
import java.util.Arrays;
import java.util.Set;

import javax.mail.MessagingException;

import org.apache.mailet.base.GenericMailet;

import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.Leniency;
import dev.acmesmime.smime.DkimOrSmime;

/**
 * Reads a mailet's parameters once, in {@code init()}, and stops James at start-up with a message
 * that names the parameter (James style: "'x' must be …"). The parameters several mailets share are
 * spelt here once, and read by one method each, so they mean the same in every mailet.
 */
final class MailetParameters {
    /** {@code HOST}, {@code HOST:PORT} or {@code [IPv6]:PORT} of the DNS server for DKIM keys; default the system's. */
    static final String DNS_SERVER = "dnsServer";
    /** A PEM bundle of S/MIME trust anchors, {@value DkimOrSmime#NONE}, or absent for the JDK's cacerts. */
    static final String SMIME_TRUST_ANCHORS = "smimeTrustAnchors";
    /** Comma-separated {@link Leniency} options. */
    static final String LENIENCY = "leniency";

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

    /**
     * An optional whole number in {@code [min, max]} ({@code max} {@link Integer#MAX_VALUE} for no upper
     * bound); {@code dflt} when absent or blank.
     */
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
        String range = max == Integer.MAX_VALUE ? "a whole number, " + min + " or more" : "a number from " + min + " to " + max;
        throw new MessagingException("'" + name + "' must be " + range + ", got '" + v + "'");
    }

    /** One of {@code allowed}, exactly as spelt there; {@code dflt} when absent. */
    static String choice(GenericMailet mailet, String name, String dflt, String... allowed) throws MessagingException {
        String value = mailet.getInitParameter(name, dflt).trim();
        if (Arrays.asList(allowed).contains(value)) {
            return value;
        }
        throw new MessagingException("'" + name + "' must be one of " + String.join(", ", allowed) + ", got '" + value + "'");
    }

    /** {@value #LENIENCY}: none when absent. */
    static Set<Leniency> leniencies(GenericMailet mailet) throws MessagingException {
        try {
            return Leniency.parseList(mailet.getInitParameter(LENIENCY, ""));
        } catch (IllegalArgumentException e) {
            throw new MessagingException("'" + LENIENCY + "': " + e.getMessage());
        }
    }

    /** The server-wide resolver for {@value #DNS_SERVER}, so every mailet naming that server shares its cache. */
    static DkimKeyResolver keyResolver(GenericMailet mailet, AcmeSmimeRuntime runtime) throws MessagingException {
        String dnsServer = mailet.getInitParameter(DNS_SERVER);
        try {
            return runtime.keyResolver(dnsServer);
        } catch (IllegalArgumentException e) {
            throw new MessagingException("'" + DNS_SERVER + "' must be HOST, HOST:PORT or [IPv6]:PORT, got '"
                    + dnsServer + "': " + e.getMessage(), e);
        }
    }

    /**
     * DKIM under the RFC 8823 policy or S/MIME (C15), from {@value #DNS_SERVER} and
     * {@value #SMIME_TRUST_ANCHORS} (a relative path is resolved against James's working directory),
     * at the runtime's clock.
     */
    static AuthenticityVerifier authenticity(GenericMailet mailet, AcmeSmimeRuntime runtime) throws MessagingException {
        DkimOrSmime.Builder b = DkimOrSmime.builder().keyResolver(keyResolver(mailet, runtime)).clock(runtime.clock())
                .metrics(runtime.metrics());
        String anchors = mailet.getInitParameter(SMIME_TRUST_ANCHORS, "").trim();
        try {
            return b.trustAnchorSetting(anchors, runtime.home()).build();
        } catch (IOException | RuntimeException e) {
            throw new MessagingException("'" + SMIME_TRUST_ANCHORS + "': cannot read trust anchors from '" + anchors
                    + "': " + e.getMessage(), e);
        }
    }
}
