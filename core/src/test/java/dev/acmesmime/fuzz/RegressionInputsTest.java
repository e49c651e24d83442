package dev.acmesmime.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every input the campaign found breaking an invariant, kept as {@code fuzz/regressions/<target>-<what>.eml}
 * (they are seeds too, being test mails), run again through its target: no exception, no forgery, and at most
 * the 10 ms CPU budget once the code is warm (the best of five runs after twenty).
 */
class RegressionInputsTest {

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final long BUDGET_NANOS = 10_000_000L;

    static List<Path> inputs() throws IOException, URISyntaxException {
        Path dir = Path.of(RegressionInputsTest.class.getResource("regressions").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".eml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void aFoundInput_keepsEveryInvariant_withinTheBudget(Path input) throws IOException {
        byte[] mail = Files.readAllBytes(input);
        Consumer<byte[]> target = switch (input.getFileName().toString().split("-")[0]) {
            case "inspect" -> InspectFuzzTest::check;
            case "responder" -> ResponderFuzzTest::check;
            default -> ResponseProcessorFuzzTest::check;
        };

        for (int i = 0; i < 20; i++) {
            target.accept(mail);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long before = CPU.getCurrentThreadCpuTime();
            target.accept(mail);
            best = Math.min(best, CPU.getCurrentThreadCpuTime() - before);
        }

        assertThat(best).as("CPU nanoseconds of %s", input.getFileName()).isLessThanOrEqualTo(BUDGET_NANOS);
    }
}
