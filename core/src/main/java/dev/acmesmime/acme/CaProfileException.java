package dev.acmesmime.acme;

import java.util.Objects;

/**
 * A CA profile setting is wrong; start-up must stop and show this message. It begins with the full name of
 * the setting to fix (e.g. {@code enrolment.profile.main.keyType: ...}).
 */
public final class CaProfileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String setting;

    public CaProfileException(String setting, String problem) {
        super(Objects.requireNonNull(setting, "setting") + ": " + problem);
        this.setting = setting;
    }

    /** The full name of the setting to fix. */
    public String setting() {
        return setting;
    }
}
