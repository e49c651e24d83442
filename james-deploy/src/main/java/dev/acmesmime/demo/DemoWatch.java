package dev.acmesmime.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Shows each mailbox's enrolment step by step as it happens: polls both James a few times a second and
 * prints a line for every step newly reached, with the time since the demo started and since the
 * mailbox's previous step. Steps seen in one poll are printed together, in their order. Ends when every
 * mailbox has its certificate; fails naming the step and the codes behind it when one is refused, or
 * when a mailbox is stuck past the time limit.
 */
final class DemoWatch {

    private static final long POLL_MILLIS = 250;

    private final DemoHttp org;
    private final DemoHttp ca;
    private final PrintStream out;
    private final long startNanos;

    DemoWatch(DemoHttp org, DemoHttp ca, PrintStream out, long startNanos) {
        this.org = org;
        this.ca = ca;
        this.out = out;
        this.startNanos = startNanos;
    }

    /** Watches until every mailbox's certificate is issued, at most {@code limit}. */
    void await(List<String> mailboxes, Duration limit) throws Exception {
        Map<String, Set<DemoStep>> seen = new LinkedHashMap<>();
        Map<String, Long> last = new LinkedHashMap<>();
        mailboxes.forEach(m -> {
            seen.put(m, EnumSet.noneOf(DemoStep.class));
            last.put(m, System.nanoTime());
        });
        long deadline = System.nanoTime() + limit.toNanos();
        Map<String, DemoObservation> latest = new LinkedHashMap<>();
        while (seen.values().stream().anyMatch(s -> !s.contains(DemoStep.CERTIFICATE_ISSUED))) {
            for (String mailbox : mailboxes) {
                DemoObservation o = DemoObservation.read(org, ca, mailbox);
                latest.put(mailbox, o);
                show(mailbox, o, seen.get(mailbox), last);
                if (o.failed()) {
                    throw failure(mailbox, seen.get(mailbox), o, "refused");
                }
            }
            if (System.nanoTime() > deadline) {
                String stuck = mailboxes.stream().filter(m -> !seen.get(m).contains(DemoStep.CERTIFICATE_ISSUED))
                        .findFirst().orElseThrow();
                throw failure(stuck, seen.get(stuck), latest.get(stuck), "not reached within " + limit.toSeconds() + " s");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private void show(String mailbox, DemoObservation o, Set<DemoStep> seen, Map<String, Long> last) {
        DemoStep furthest = null;
        for (DemoStep step : DemoStep.values()) {
            if (o.reached(step)) {
                furthest = step;
            }
        }
        if (furthest == null) {
            return;
        }
        long now = System.nanoTime();
        for (DemoStep step : DemoStep.values()) {
            if (step.ordinal() <= furthest.ordinal() && seen.add(step)) {
                out.printf("[%6.1f s] %-15s %-20s %6s  %s%n", seconds(now - startNanos), mailbox, step.label(),
                        "+" + String.format("%.1f", seconds(now - last.get(mailbox))), step.detail(mailbox));
                last.put(mailbox, now);
            }
        }
    }

    private static DemoFailure failure(String mailbox, Set<DemoStep> seen, DemoObservation o, String why) {
        DemoStep next = Arrays.stream(DemoStep.values()).filter(s -> !seen.contains(s)).findFirst()
                .orElse(DemoStep.CERTIFICATE_ISSUED);
        return new DemoFailure(next.label() + " (" + mailbox + ")", why,
                o == null ? List.of() : o.failureCodes());
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
