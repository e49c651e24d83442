package dev.acmesmime.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * What a process reported as committed survives that process being killed with SIGKILL.
 */
interface DurabilityContract extends StoreFixture {
    int KILL_AFTER = 300;

    @Test
    default void everyCommitReportedByAKilledProcessIsThereOnReopening() throws Exception {
        closeStore(); // an embedded H2 file is opened by one process at a time
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"),
                DurabilityWriter.class.getName(),
                settings().jdbcUrl(), settings().user() == null ? "-" : settings().user(),
                settings().masterKeyFile().toString()));
        Process writer = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        int lastCommitted = -1;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    lastCommitted = Integer.parseInt(line.substring("committed ".length()));
                    if (lastCommitted >= KILL_AFTER) {
                        writer.destroyForcibly(); // SIGKILL while it keeps writing
                        break;
                    }
                }
            }
        } finally {
            writer.destroyForcibly();
            writer.waitFor(60, TimeUnit.SECONDS);
        }
        assertThat(lastCommitted).as("the writer reported commits before it was killed").isGreaterThanOrEqualTo(KILL_AFTER);
        assertThat(writer.exitValue()).as("killed by SIGKILL").isEqualTo(137);

        AcmeSmimeStore reopened = open(settings());

        for (int i = 0; i <= lastCommitted; i++) {
            assertThat(reopened.answeredChallenges().find("<durable-" + i + "@ca.example>", "t")).as("claim %d", i)
                    .isPresent();
        }
        List<String> expectedTokens = new ArrayList<>();
        for (int i = 0; i <= lastCommitted; i++) {
            expectedTokens.add("t-" + i);
        }
        assertThat(reopened.audit().find(AuditQuery.builder().limit(100_000).build()))
                .extracting(r -> r.token().orElseThrow()).containsAll(expectedTokens);
        assertThat(reopened.outbox().listPending(100_000)).hasSizeGreaterThanOrEqualTo(lastCommitted + 1)
                .extracting(item -> new String(item.payload(), StandardCharsets.UTF_8))
                .contains("payload-0", "payload-" + lastCommitted);
    }
}
