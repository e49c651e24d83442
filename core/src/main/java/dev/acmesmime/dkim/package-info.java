/**
 * DKIM for RFC 8823 mails: verification under the RFC 8823 policy and signing, on jDKIM 0.3 (the
 * version Apache James 3.8.1 ships) and dnsjava, with {@code rsa-sha256} and, through the JDK's
 * EdDSA on jDKIM's canonicalisation, {@code ed25519-sha256} (RFC 8463).
 * <ul>
 * <li>{@link dev.acmesmime.dkim.DkimPolicyVerifier} – the {@link dev.acmesmime.rfc8823.AuthenticityVerifier}
 *     for DKIM (checklist D2–D16);</li>
 * <li>{@link dev.acmesmime.dkim.DkimKeyResolver} – key records from DNS, bounded in time, cached by TTL,
 *     temporary and permanent failures kept apart;</li>
 * <li>{@link dev.acmesmime.dkim.DkimSigner} – signs challenges and responses with the full RFC 8823 {@code h=}
 *     list; {@link dev.acmesmime.dkim.DkimKeys} reads its PEM key and renders the DNS record;</li>
 * <li>{@link dev.acmesmime.dkim.SignedFields} – the D2, D7 and D3 field lists, used by both sides.</li>
 * </ul>
 * <table>
 * <caption>Codes reported, each detail starting {@code signature d="…" s="…"}</caption>
 * <tr><th>Code</th><th>Rules</th><th>Fails when</th></tr>
 * <tr><td>{@code dkim-none}</td><td>C15, R15</td><td>the mail has no DKIM-Signature field</td></tr>
 * <tr><td>{@code dkim-invalid}</td><td>C15, R15, D11</td><td>the signature does not verify, is malformed,
 *     its key is missing, revoked, unusable or in testing mode; when it <em>passes</em> it is the check that
 *     makes the mail authentic</td></tr>
 * <tr><td>{@code dkim-misaligned}</td><td>D4, D8, D15</td><td>{@code d=} is not exactly the From domain</td></tr>
 * <tr><td>{@code dkim-headers}</td><td>D2, D7, D10, D11</td><td>{@code h=} lacks a field of the D2/D7 list</td></tr>
 * <tr><td>{@code dkim-sha1}</td><td>D12</td><td>{@code a=rsa-sha1}</td></tr>
 * <tr><td>{@code dkim-weak-key}</td><td>D12</td><td>the RSA key has fewer than 1024 bits (an Ed25519 key
 *     passes)</td></tr>
 * <tr><td>{@code dkim-body-length}</td><td>D13</td><td>{@code l=} differs from the canonicalized body length</td></tr>
 * <tr><td>{@code dkim-temperror}</td><td>D16</td><td>the key could not be fetched (timeout, SERVFAIL, REFUSED):
 *     retry later</td></tr>
 * </table>
 */
package dev.acmesmime.dkim;
