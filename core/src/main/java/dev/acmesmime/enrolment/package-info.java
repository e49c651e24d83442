/**
 * The enrolment engine of the organisation role (issue 15): which mailbox gets a certificate, which step of
 * RFC 8823 §3 it takes next, and when. {@link dev.acmesmime.enrolment.Enroller} is the adapter's facade,
 * {@link dev.acmesmime.enrolment.EnrolmentWorker} claims due mailboxes from the store,
 * {@link dev.acmesmime.enrolment.MailboxEnrolment} and {@code OrderSteps} take the steps through a
 * {@link dev.acmesmime.acme.CaClient}, {@link dev.acmesmime.enrolment.RenewalPolicy} schedules renewals.
 * Settings: {@link dev.acmesmime.enrolment.EnrolmentSettings}. No James, javax.mail or jakarta.mail types.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3">RFC 8823 §3</a>
 */
package dev.acmesmime.enrolment;
