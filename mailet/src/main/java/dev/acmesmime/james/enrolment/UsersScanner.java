package dev.acmesmime.james.enrolment;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

import org.apache.james.core.Username;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStore;

/**
 * Keeps the enrolment in step with James's users: each run tells the engine every user it sees (new ones
 * are enrolled, if in scope) and forgets the enrolments of users that are gone (revoking their certificate
 * if {@code enrolment.revokeOnDelete}). Users are streamed from James's iterator and enrolments read in
 * store pages, so a run never holds all mailboxes in memory. A user name without a domain (James without
 * virtual hosting) is not a mailbox and is skipped. A run that sees no user at all forgets nothing: an
 * empty listing (a users directory unreachable, James's memory server just restarted) must not drop, nor
 * with {@code enrolment.revokeOnDelete} revoke, every mailbox's certificate.
 */
final class UsersScanner {

    private static final Logger LOGGER = LoggerFactory.getLogger(UsersScanner.class);

    /** What the scanner asks of the engine. */
    interface Engine {
        /** A batch of at most {@value #BATCH} users seen, told in one call (one store commit). */
        void known(List<String> mailboxes);

        void forget(String mailbox);
    }

    /** Users told to the engine at once: 10,000 new mailboxes are 50 store commits, not 10,000. */
    static final int BATCH = 200;

    private final UsersRepository users;
    private final EnrolmentStore enrolments;
    private final Engine engine;

    UsersScanner(UsersRepository users, EnrolmentStore enrolments, Engine engine) {
        this.users = users;
        this.enrolments = enrolments;
        this.engine = engine;
    }

    /** One run: every user known, every enrolment of a user that is gone forgotten. */
    void scanOnce() throws UsersRepositoryException {
        long seen = 0;
        List<String> batch = new ArrayList<>(BATCH);
        Iterator<Username> it = users.list();
        while (it.hasNext()) {
            String name = it.next().asString();
            if (name.indexOf('@') > 0) {
                batch.add(name);
                seen++;
            }
            if (batch.size() == BATCH || !it.hasNext() && !batch.isEmpty()) {
                engine.known(List.copyOf(batch));
                batch.clear();
            }
        }
        if (seen == 0) {
            // an empty listing is far likelier an outage (a directory unreachable, a memory repository just
            // restarted) than every user deleted: forgetting would drop, or revoke, every certificate
            LOGGER.warn("acme-smime enrolment: James lists no user; no enrolment is forgotten on this scan");
            return;
        }
        long gone = forgetDeleted();
        LOGGER.debug("acme-smime enrolment: {} users seen, {} deleted users forgotten", seen, gone);
    }

    private long forgetDeleted() throws UsersRepositoryException {
        long gone = 0;
        Optional<String> after = Optional.empty();
        List<Enrolment> page;
        do {
            page = enrolments.list(Optional.empty(), Optional.empty(), after, EnrolmentStore.MAX_PAGE);
            for (Enrolment e : page) {
                if (!users.contains(Username.of(e.mailbox()))) {
                    engine.forget(e.mailbox());
                    gone++;
                }
            }
            after = page.isEmpty() ? after : Optional.of(page.get(page.size() - 1).mailbox());
        } while (page.size() == EnrolmentStore.MAX_PAGE);
        return gone;
    }

    /** One run as a scheduler runs it: a failed run is logged, and the next one tries again. */
    static Runnable periodic(UsersScanner scanner, Duration period) {
        return () -> {
            try {
                scanner.scanOnce();
            } catch (UsersRepositoryException | RuntimeException e) {
                // the type too: the memory repository's iterator, listed while users are added, throws a
                // ConcurrentModificationException without a message
                LOGGER.warn("acme-smime enrolment: the user scan failed, next in {}: {}", period, e.toString());
            }
        };
    }
}
