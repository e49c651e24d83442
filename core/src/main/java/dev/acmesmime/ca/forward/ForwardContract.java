package dev.acmesmime.ca.forward;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The wire contract spoken to the CA's ACME server, by its configuration name. RFC 8823 leaves
 * this interface open (checklist §6.2 item 7); these are the three shapes real ACME servers
 * expect (docs/interop.md §4). Each contract's rules live in its {@link ForwardProtocol}.
 */
public enum ForwardContract {
    /**
     * This plugin's own contract: JSON described by {@code native-contract.schema.json}, signed with
     * HMAC-SHA256 over timestamp and body under a key id ({@link Hmac#KEY_ID_HEADER}), answered with
     * an explicit outcome.
     */
    NATIVE("native", new NativeProtocol()),
    /**
     * Akāmu's {@code /acme/email-webhook}: JSON {@code {from, in_reply_to, dkim_domain, dkim_status, body}},
     * {@code X-Akamu-Signature: sha256=<hex HMAC-SHA256 of the body>}. Akāmu answers without an outcome.
     */
    AKAMU("akamu", new AkamuProtocol()),
    /**
     * RapidMX's {@code /internal/mail/inbound}: the raw message as body, {@code Authorization: Bearer},
     * {@code X-Envelope-From}, {@code X-Remote-Address}. Answers 202 without an outcome.
     */
    RAW_BRIDGE("raw", new RawBridgeProtocol());

    private final String option;
    private final ForwardProtocol protocol;

    ForwardContract(String option, ForwardProtocol protocol) {
        this.option = option;
        this.protocol = protocol;
    }

    /** What the contract decides: body, authentication, reading the answer. */
    public ForwardProtocol protocol() {
        return protocol;
    }

    /** The name used in configuration. */
    public String option() {
        return option;
    }

    /** @throws IllegalArgumentException naming the accepted values */
    public static ForwardContract fromOption(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (ForwardContract c : values()) {
            if (c.option.equals(v)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown contract '" + value + "'; use one of "
                + Arrays.stream(values()).map(ForwardContract::option).collect(Collectors.joining(", ")));
    }
}
