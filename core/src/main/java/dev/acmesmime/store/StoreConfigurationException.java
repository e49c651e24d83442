package dev.acmesmime.store;

import java.util.Objects;

/**
 * The store cannot start with the configuration it was given. Start-up must stop and show this
 * message to the admin: it always begins with the name of the setting to fix (for example
 * {@code "store.masterKeyFile: ..."}), so the admin knows which line of
 * {@code conf/acme-smime.properties} to look at.
 * <p>
 * Thrown only while opening the store ({@link StoreSettings#fromProperties},
 * {@link AcmeSmimeStore.Builder#open()}); failures of a running store are {@link StoreException}s.
 */
public final class StoreConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String setting;

    public StoreConfigurationException(String setting, String problem) {
        this(setting, problem, null);
    }

    public StoreConfigurationException(String setting, String problem, Throwable cause) {
        super(Objects.requireNonNull(setting, "setting") + ": " + problem, cause);
        this.setting = setting;
    }

    /** The name of the setting to fix, e.g. {@value StoreSettings#JDBC_URL}. */
    public String setting() {
        return setting;
    }
}
