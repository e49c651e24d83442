package dev.acmesmime.james.mailets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.mail.MessagingException;

/**
 * Failure points for the end-to-end tests of the response outbox (issue 14 §3), inert unless James
 * was started with their system property; never set them in production. Each names a flag file, so a
 * test switches the failure on and off without restarting James:
 * <ul>
 *   <li>{@value #REFUSE_SPOOL}: while the file exists, handing a response to James's spool fails as if
 *       the spool refused it.</li>
 *   <li>{@value #HALT_AFTER_CLAIM}: if the file exists when a challenge has just been claimed (the claim
 *       and the response committed, nothing sent), the file is deleted and the JVM halts at once, as a
 *       {@code kill -9} there would.</li>
 * </ul>
 */
final class OutboxTestHooks {
    static final String REFUSE_SPOOL = "acme-smime.test.refuseSpoolWhile";
    static final String HALT_AFTER_CLAIM = "acme-smime.test.haltAfterClaim";

    private OutboxTestHooks() {
    }

    static void refuseSpoolIfAsked() throws MessagingException {
        Path flag = flag(REFUSE_SPOOL);
        if (flag != null && Files.exists(flag)) {
            throw new MessagingException("spool refused the mail (test hook " + REFUSE_SPOOL + ")");
        }
    }

    static void haltIfAsked() {
        Path flag = flag(HALT_AFTER_CLAIM);
        try {
            if (flag != null && Files.deleteIfExists(flag)) {
                Runtime.getRuntime().halt(137);
            }
        } catch (IOException e) {
            throw new IllegalStateException(HALT_AFTER_CLAIM + ": " + e.getMessage(), e);
        }
    }

    private static Path flag(String property) {
        String value = System.getProperty(property);
        return value == null || value.isBlank() ? null : Path.of(value);
    }
}
