package dev.acmesmime.testca.mail;

/**
 * What one event did to a validation; {@code outcome} is the native contract's answer code
 * ({@code valid}, {@code waiting-for-post}, {@code waiting-for-response}, {@code invalid},
 * {@code already-final}, {@code expired}, {@code wrong-from}, {@code unknown-challenge}).
 */
public record ResultOutcome(String outcome, String detail) {
}
