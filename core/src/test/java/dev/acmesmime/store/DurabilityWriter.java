package dev.acmesmime.store;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Run in a separate JVM by {@link DurabilityContract}: writes rows one commit at a time and prints
 * {@code committed N} after each, until the test kills it with SIGKILL.
 * Arguments: JDBC URL, user ("-" for none), master key file.
 */
public final class DurabilityWriter {
    private DurabilityWriter() {
    }

    public static void main(String[] args) {
        StoreSettings settings = new StoreSettings(args[0], "-".equals(args[1]) ? null : args[1], null, 2,
                Path.of(args[2]), false, Duration.ofDays(825), "writer");
        AcmeSmimeStore store = AcmeSmimeStore.builder(settings).open();
        for (int i = 0; i < 1_000_000; i++) {
            store.answeredChallenges().claim("<durable-" + i + "@ca.example>", "t", "alice@org.example");
            store.outbox().enqueue("https://ca.example/forward", ("payload-" + i).getBytes(StandardCharsets.UTF_8));
            store.audit().append(AuditRecord.entry(AuditEvent.CHALLENGE_SIGNED).token("t-" + i));
            // Printed only after all three commits returned.
            System.out.println("committed " + i);
            System.out.flush();
        }
    }
}
