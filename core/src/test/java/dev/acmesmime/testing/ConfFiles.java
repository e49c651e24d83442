package dev.acmesmime.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Edits of a copied James configuration for a test (ports, DNS server, gateway, limits). */
public final class ConfFiles {

    private ConfFiles() {
    }

    /**
     * Replaces {@code from}, which must occur exactly once: a test that silently edits nothing would
     * run against the shipped ports or limits when the shipped file changes.
     */
    public static void replaceOnce(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalStateException(file + " must contain " + from.trim()
                    + " exactly once; did the configuration it was copied from change?");
        }
        Files.writeString(file, text.replace(from, to));
    }
}
