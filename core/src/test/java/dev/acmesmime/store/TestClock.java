package dev.acmesmime.store;

import java.time.Instant;

import dev.acmesmime.testing.MutableClock;

/** The store tests' clock: a {@link MutableClock} starting at a fixed instant with microseconds. */
final class TestClock extends MutableClock {
    static final Instant START = Instant.parse("2026-03-01T10:00:00.123456Z");

    TestClock() {
        this(START);
    }

    TestClock(Instant now) {
        super(now);
    }
}
