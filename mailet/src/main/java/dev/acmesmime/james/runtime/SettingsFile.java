package dev.acmesmime.james.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Reads the plugin's settings file ({@value AcmeSmimeRuntime#SETTINGS_FILE}); an absent file is no settings. */
final class SettingsFile {

    private SettingsFile() {
    }

    static Properties read(Path file) {
        Properties p = new Properties();
        if (!Files.exists(file)) {
            return p;
        }
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(AcmeSmimeRuntime.SETTINGS_FILE + ": cannot read " + file, e);
        }
        return p;
    }
}
