package dev.acmesmime.rfc8823;

/**
 * A stable code saying why a mail was judged as it was: a {@link FailureCode} of the inspection, or
 * a decision code of a role (the organisation's {@code DecisionCode}). Codes are what admins grep
 * logs for and route mail on, so a code is never renamed (C19); the types exist so that code lists
 * are data, and the kebab-case {@link #code()} appears only where a code leaves the plugin (headers,
 * mail attributes, audit records, JSON).
 */
public interface ReasonCode {

    /** The stable kebab-case code, e.g. {@code dkim-misaligned}. */
    String code();

    /** Checklist IDs of the rules behind this code, e.g. {@code "C20"}. */
    String rules();
}
