package dev.acmesmime.demo;

import java.util.List;

/**
 * Why the demo stopped: the step that failed, in the words the progress lines use, and the decision
 * behind it (failure codes, problem types, the reason a part gave). {@code main} prints it as one line
 * (plus the codes) and exits 1.
 */
final class DemoFailure extends Exception {

    private final String step;
    private final List<String> codes;

    DemoFailure(String step, String reason, List<String> codes) {
        super(reason);
        this.step = step;
        this.codes = List.copyOf(codes);
    }

    DemoFailure(String step, String reason) {
        this(step, reason, List.of());
    }

    String step() {
        return step;
    }

    List<String> codes() {
        return codes;
    }
}
