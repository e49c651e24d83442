/**
 * The ACME client of the enrolment (RFC 8555 with RFC 8823 email identifiers), on acme4j-client: one
 * {@link dev.acmesmime.acme.CaClient} per configured {@link dev.acmesmime.acme.CaProfile}.
 * <p>
 * The enrolment engine sees only {@link dev.acmesmime.acme.CaClient} and its records; acme4j types stay in
 * this package. Every failure reaches the engine as a {@link dev.acmesmime.acme.CaException} carrying the
 * CA's problem document ({@link dev.acmesmime.acme.CaProblem}). No James, javax.mail or jakarta.mail types.
 * <p>
 * acme4j 4.0.0 runs here on James's BouncyCastle line (jdk15on 1.70): its own jdk18on jars are excluded
 * in core's pom, and S/MIME CSRs are written with BC directly ({@link dev.acmesmime.acme.SmimeCsr}) because
 * acme4j's {@code CSRBuilder} knows only DNS and IP identifiers.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555">RFC 8555</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823">RFC 8823</a>
 */
package dev.acmesmime.acme;
