package dev.acmesmime.store;

import java.util.List;
import java.util.Optional;

/** Per-mailbox enrolment state, private key included (encrypted at rest). */
public interface EnrolmentStore {

    Optional<Enrolment> find(String mailbox);

    /**
     * Creates or replaces the enrolment of {@code enrolment.mailbox()}.
     *
     * @return what was stored, with {@link Enrolment#updatedAt()} set from the store's clock
     */
    Enrolment save(Enrolment enrolment);

    /** The enrolments in {@code state}, by mailbox. */
    List<Enrolment> listByState(EnrolmentState state);

    /** @return {@code false} if there was none */
    boolean delete(String mailbox);
}
