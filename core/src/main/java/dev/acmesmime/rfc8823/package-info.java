/**
 * The RFC 8823 message engine: inspect challenges and responses ({@link dev.acmesmime.rfc8823.AcmeMailInspector}),
 * compute the key authorization digest ({@link dev.acmesmime.rfc8823.KeyAuthorization},
 * {@link dev.acmesmime.rfc8823.JwkThumbprint}) and compose both mails
 * ({@link dev.acmesmime.rfc8823.ChallengeMail}, {@link dev.acmesmime.rfc8823.ResponseMail},
 * {@link dev.acmesmime.rfc8823.TokenPart1}). No James, javax.mail or jakarta.mail types.
 *
 * <h2>Codes the inspector reports and what their detail holds</h2>
 * Values taken from the mail are quoted by {@link dev.acmesmime.rfc8823.Untrusted#quote(String)}.
 * <table>
 * <caption>Failure codes of the message checks</caption>
 * <tr><th>code</th><th>checklist</th><th>detail on failure</th></tr>
 * <tr><td>{@code malformed}</td><td>RFC 5322</td><td>empty input, the limit exceeded with the figure, mime4j's error, or the first header line that is no field</td></tr>
 * <tr><td>{@code not-acme}</td><td>C4, R1</td><td>that no {@code ACME:} label (and no response block) was found</td></tr>
 * <tr><td>{@code subject-syntax}</td><td>C4–C6, R1, R2, X6</td><td>the offending part: missing label, text before the label (challenge), no FWS, the token that is not base64url, label case; undecodable encoded words</td></tr>
 * <tr><td>{@code reply-prefix}</td><td>C21</td><td>the reply prefix found</td></tr>
 * <tr><td>{@code token-too-short}</td><td>C2, C4</td><td>decoded octets and bits</td></tr>
 * <tr><td>{@code charset}</td><td>C7</td><td>the charsets of the offending encoded words</td></tr>
 * <tr><td>{@code auto-submitted}</td><td>C12, C23, C24</td><td>missing, count, parse error with position, or the keyword found</td></tr>
 * <tr><td>{@code from}, {@code to}</td><td>C9, C10, R3, R4, X7</td><td>missing, repeated, unparseable (with reason) or the number of mailboxes; for To also the expected address</td></tr>
 * <tr><td>{@code duplicate-header}</td><td>D14, C23</td><td>each repeated field with its count</td></tr>
 * <tr><td>{@code unexpected-sender}</td><td>C9, R3, X20</td><td>From found and From expected</td></tr>
 * <tr><td>{@code list-header}</td><td>R7</td><td>the List-* field names</td></tr>
 * <tr><td>{@code body-format}</td><td>R8, R9, R12, X11</td><td>the media type, the parts found, missing END, or that the block is only quoted</td></tr>
 * <tr><td>{@code digest-syntax}</td><td>R9, R11</td><td>the digest read</td></tr>
 * <tr><td>{@code digest-mismatch}</td><td>§3 step 6, X1, X2</td><td>the digest read and token-part1; never the expected value</td></tr>
 * <tr><td>{@code dkim-none}</td><td>C15, R15</td><td>that no verifier is configured, or that the verifier failed</td></tr>
 * </table>
 * The other {@code dkim-*} and {@code smime-*} codes come from the configured
 * {@link dev.acmesmime.rfc8823.AuthenticityVerifier}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823">RFC 8823</a>
 */
package dev.acmesmime.rfc8823;
