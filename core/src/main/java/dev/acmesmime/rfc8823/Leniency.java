package dev.acmesmime.rfc8823;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Named relaxations for differences seen at real CAs and clients. Every one is off by default,
 * and a verdict lists the ones a mail needed ({@link Verdict#leniencies()}).
 * <p>
 * The mailets take them as the comma-separated {@code leniency} parameter, the CLI as
 * {@code --leniency}; both read it with {@link #parseList(String)}.
 */
public enum Leniency {
    /**
     * Accept a challenge without {@code Auto-Submitted} (C12). acme2certifier sends none.
     * A present but wrong Auto-Submitted is still rejected. Recorded in {@link Verdict#leniencies()}
     * when a challenge had no Auto-Submitted field.
     */
    MISSING_AUTO_SUBMITTED("missing-auto-submitted"),
    /**
     * Compute the digest with the "decode both token parts, join the bytes, re-encode" reading of
     * RFC 8823 §3 step 6 (acme_email, acmez), instead of RFC 8555 §8.1 string concatenation.
     * Only differs when token-part1 does not decode to a multiple of 3 bytes (X2, interop.md §2.1).
     * The string reading is always tried first; recorded in {@link Verdict#leniencies()} only when
     * the digest matched the byte reading alone.
     */
    BYTE_CONCATENATION("byte-concatenation"),
    /**
     * Accept {@code acme:} in any letter case in the Subject (X6). Strict mode requires {@code ACME:}.
     * Recorded in {@link Verdict#leniencies()} when the label was not upper case.
     */
    SUBJECT_LABEL_CASE("subject-label-case");

    private final String option;

    Leniency(String option) {
        this.option = option;
    }

    /** The configuration spelling, e.g. {@code missing-auto-submitted}. */
    public String option() {
        return option;
    }

    public static Leniency fromOption(String option) {
        for (Leniency l : values()) {
            if (l.option.equals(option.trim())) {
                return l;
            }
        }
        throw new IllegalArgumentException("unknown leniency option '" + option + "'; known: "
                + Arrays.stream(values()).map(Leniency::option).collect(Collectors.joining(", ")));
    }

    /**
     * The one reading of the setting: comma-separated options, blanks ignored; {@code null} or blank
     * is none (every relaxation is off by default).
     *
     * @throws IllegalArgumentException naming an unknown option and the known ones
     */
    public static Set<Leniency> parseList(String options) {
        Set<Leniency> set = EnumSet.noneOf(Leniency.class);
        if (options != null) {
            for (String option : options.split(",")) {
                if (!option.isBlank()) {
                    set.add(fromOption(option));
                }
            }
        }
        return set;
    }
}
