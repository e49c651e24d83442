package dev.acmesmime.deploy;

import java.io.Reader;
import java.nio.file.Files;
import java.util.EnumSet;
import java.util.List;
import java.util.Properties;

import dev.acmesmime.store.AcmeSmimeStore;
import dev.acmesmime.store.AuditEvent;
import dev.acmesmime.store.AuditRecord;
import dev.acmesmime.store.StoreSettings;

/**
 * Reads of an organisation James's own store, for what its WebAdmin does not show (the sealed private keys,
 * the audit: the organisation role has no audit route). The embedded H2 store has one user at a time: James
 * is stopped for the read and started again on the same home.
 */
final class OrgStore {

    /** What a read gives; it may throw. */
    interface Read<T> {
        T from(AcmeSmimeStore store) throws Exception;
    }

    private OrgStore() {
    }

    static <T> T read(OrgRoleProcess org, Read<T> read) throws Exception {
        org.stopJames();
        try {
            Properties settings = new Properties();
            try (Reader r = Files.newBufferedReader(org.conf().resolve("acme-smime.properties"))) {
                settings.load(r);
            }
            try (AcmeSmimeStore store = AcmeSmimeStore.builder(StoreSettings.fromProperties(settings, org.home)).open()) {
                return read.from(store);
            }
        } finally {
            org.restart();
        }
    }

    /** The mailbox's audit events (e.g. {@code enrolment-renewed}), newest first. */
    static List<String> auditEvents(OrgRoleProcess org, String mailbox) throws Exception {
        return read(org, store -> store.audit().latest(mailbox, EnumSet.allOf(AuditEvent.class), 100).stream()
                .map(AuditRecord::event).toList());
    }
}
