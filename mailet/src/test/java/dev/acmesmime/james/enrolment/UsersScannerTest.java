package dev.acmesmime.james.enrolment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.apache.james.core.Domain;
import org.apache.james.core.Username;
import org.apache.james.domainlist.lib.DomainListConfiguration;
import org.apache.james.domainlist.memory.MemoryDomainList;
import org.apache.james.user.memory.MemoryUsersRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.acmesmime.james.runtime.AcmeSmimeRuntime;
import dev.acmesmime.store.Enrolment;
import dev.acmesmime.store.EnrolmentStore;

/** The users scan against James's in-memory users repository and a real store. */
class UsersScannerTest {

    @TempDir
    Path home;
    AcmeSmimeRuntime runtime;
    EnrolmentStore enrolments;
    MemoryUsersRepository users;
    final List<String> known = new ArrayList<>();
    final List<String> forgotten = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        runtime = new AcmeSmimeRuntime(home, Clock.systemUTC());
        enrolments = runtime.store().enrolments();
        MemoryDomainList domains = new MemoryDomainList(null);
        domains.configure(DomainListConfiguration.builder().autoDetect(false).autoDetectIp(false).build());
        domains.addDomain(Domain.of("org.example"));
        users = MemoryUsersRepository.withVirtualHosting(domains);
        enrolments.save(Enrolment.of("alice@org.example"));
        enrolments.save(Enrolment.of("bob@org.example"));
    }

    @AfterEach
    void tearDown() {
        runtime.close();
    }

    private UsersScanner scanner() {
        return new UsersScanner(users, enrolments, new UsersScanner.Engine() {
            @Override
            public void known(List<String> mailboxes) {
                assertThat(mailboxes).hasSizeLessThanOrEqualTo(UsersScanner.BATCH).isNotEmpty();
                known.addAll(mailboxes);
            }

            @Override
            public void forget(String mailbox) {
                forgotten.add(mailbox);
            }
        });
    }

    @Test
    void usersAreKnown_andTheEnrolmentsOfUsersThatAreGoneForgotten() throws Exception {
        users.addUser(Username.of("alice@org.example"), "secret");
        users.addUser(Username.of("carol@org.example"), "secret");
        scanner().scanOnce();
        assertThat(known).containsExactlyInAnyOrder("alice@org.example", "carol@org.example");
        assertThat(forgotten).containsExactly("bob@org.example");
    }

    /** A memory server just restarted, a directory unreachable: an empty listing drops no certificate. */
    @Test
    void aScanThatListsNoUser_forgetsNoEnrolment() throws Exception {
        scanner().scanOnce();
        assertThat(known).isEmpty();
        assertThat(forgotten).isEmpty();
    }

    /** Every user is told, in batches of at most {@link UsersScanner#BATCH} (one store commit each). */
    @Test
    void manyUsers_areToldInBatches() throws Exception {
        int n = 2 * UsersScanner.BATCH + 7;
        for (int i = 0; i < n; i++) {
            users.addUser(Username.of("user" + i + "@org.example"), "secret");
        }
        scanner().scanOnce();
        assertThat(known).hasSize(n).doesNotHaveDuplicates();
    }
}
