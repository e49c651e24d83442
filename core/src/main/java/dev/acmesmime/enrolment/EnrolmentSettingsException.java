package dev.acmesmime.enrolment;

/**
 * An {@code enrolment.*} setting is wrong; start-up must stop and show this message. It begins with the full
 * name of the setting to fix (e.g. {@code enrolment.concurrency: ...}).
 */
public final class EnrolmentSettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    EnrolmentSettingsException(String setting, String problem) {
        super(setting + ": " + problem);
    }
}
