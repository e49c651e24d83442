package dev.acmesmime.testca.mail;

/**
 * What one event did to a validation; {@code outcome} is the native contract's answer code
 * ({@code valid}, {@code waiting-for-post}, {@code waiting-for-response}, {@code invalid},
 * {@code already-final}, {@code already-answered} (a correct response came first and the client has
 * not POSTed yet), {@code expired}, {@code wrong-from}, {@code unknown-challenge}, and from
 * {@link ResultReceiver} {@code unauthorized}, {@code malformed}, {@code wrong-identifier}).
 * Codes match the native contract's {@code [a-z0-9-]{1,64}}.
 */
public record ResultOutcome(String outcome, String detail) {
}
