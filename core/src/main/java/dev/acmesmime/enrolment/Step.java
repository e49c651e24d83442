package dev.acmesmime.enrolment;

import java.util.Optional;

import dev.acmesmime.acme.PlacedOrder;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.Enrolment;

/**
 * What one step made of an enrolment: the row to store, whether the next step can follow at once, and the
 * audit record and counter to write once the row is stored.
 *
 * @param placed the order just placed, so the registration that follows in the same turn needs no request
 */
record Step(Enrolment enrolment, boolean proceed, Optional<AuditRecord.Entry> audit, Optional<String> counter,
            Optional<PlacedOrder> placed) {

    /** Stored, then the next step at once. */
    static Step next(Enrolment e) {
        return new Step(e, true, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Stored; the engine comes back at the row's {@code nextAttemptAt}. */
    static Step waiting(Enrolment e) {
        return new Step(e, false, Optional.empty(), Optional.empty(), Optional.empty());
    }

    Step recording(AuditRecord.Entry entry, String metric) {
        return new Step(enrolment, proceed, Optional.of(entry), Optional.of(metric), placed);
    }

    Step carrying(PlacedOrder order) {
        return new Step(enrolment, proceed, audit, counter, Optional.of(order));
    }
}
