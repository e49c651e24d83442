/**
 * The plugin's durable, shared state: pending challenges, answered-challenge claims, the forward
 * outbox, audit evidence, per-mailbox enrolments and the ACME account of each CA profile.
 * <p>
 * One JDBC implementation serves an embedded H2 file (default, under James's {@code var/acme-smime/},
 * one node) and PostgreSQL (several James nodes). Open it with
 * {@link dev.acmesmime.store.AcmeSmimeStore#builder(StoreSettings)}; each store is a narrow interface
 * ({@link dev.acmesmime.store.PendingChallengeStore}, {@link dev.acmesmime.store.AnsweredChallengeStore},
 * {@link dev.acmesmime.store.OutboxStore}, {@link dev.acmesmime.store.AuditStore},
 * {@link dev.acmesmime.store.EnrolmentStore}, {@link dev.acmesmime.store.AcmeAccountStore}) whose
 * time comes from the injected clock.
 * <p>
 * Guarantees, each covered by a contract test run on both databases: claims are atomic across
 * nodes (one winner), committed data survives a killed process, and secrets (private keys,
 * ACME account keys, token-part2) are stored only AES-GCM-sealed under a
 * {@link dev.acmesmime.store.MasterKey} kept outside the database.
 */
package dev.acmesmime.store;
