/**
 * The organisation role of RFC 8823 without James: {@link dev.acmesmime.organisation.ChallengeResponder}
 * decides about a challenge mail for a local mailbox and composes the DKIM-signed response;
 * {@link dev.acmesmime.organisation.Decision} carries the outcome with stable codes
 * ({@link dev.acmesmime.rfc8823.FailureCode} and {@link dev.acmesmime.organisation.DecisionCode}).
 *
 * <h2>Decision codes</h2>
 * <table>
 * <caption>codes beyond the failure codes of the inspection</caption>
 * <tr><th>code</th><th>rules</th><th>meaning</th></tr>
 * <tr><td>answered</td><td>R1–R18, C22</td><td>the response was composed, signed and claimed</td></tr>
 * <tr><td>null-sender</td><td>§6.1 step 10</td><td>MAIL FROM:&lt;&gt;; never auto-answered</td></tr>
 * <tr><td>not-local-recipient</td><td>§6.1 step 1</td><td>the recipient is no local mailbox (set by the mailet)</td></tr>
 * <tr><td>no-pending-challenge</td><td>C20</td><td>nothing registered for the mailbox</td></tr>
 * <tr><td>awaiting-registration</td><td>C20</td><td>a genuine challenge whose enrolment has not registered it yet: tried again</td></tr>
 * <tr><td>expired</td><td>C20</td><td>the matching registered challenge expired</td></tr>
 * <tr><td>already-answered</td><td>C22</td><td>this mail or this registered challenge was answered before</td></tr>
 * <tr><td>ambiguous-pending-challenge</td><td>C20, S0f</td><td>several pending challenges from that sender</td></tr>
 * <tr><td>rate-limited-mailbox</td><td>§6.1 step 10</td><td>the mailbox's responses per hour are used up</td></tr>
 * <tr><td>rate-limited-sender-domain</td><td>§6.1 step 10</td><td>the CA domain's responses per hour are used up</td></tr>
 * </table>
 * A From that matches no registered challenge of the mailbox is the failure code {@code unexpected-sender} (C9).
 * A mail that is no challenge at all is the failure code {@code not-acme} alone; it is neither logged above DEBUG
 * nor audited, and the mailet lets it continue without a decision header.
 */
package dev.acmesmime.organisation;
