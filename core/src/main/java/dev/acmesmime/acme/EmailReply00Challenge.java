package dev.acmesmime.acme;

import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.toolbox.JSON;

import dev.acmesmime.rfc8823.JwkThumbprint;
import dev.acmesmime.rfc8823.KeyAuthorization;

/**
 * The RFC 8823 {@value #TYPE} challenge as acme4j-client sees it: the challenge object carries
 * token-part2 ({@code token}) and the address the challenge mail comes {@code from}; token-part1
 * arrives in that mail's Subject. The response digest is computed with core's
 * {@link KeyAuthorization}, so the client and the CA role share one reading of "concatenate".
 * <p>
 * Registered through acme4j's {@code ServiceLoader} extension point by
 * {@link EmailReply00ChallengeProvider}, listed in {@code META-INF/services} of the core jar, so any acme4j
 * {@code Login} on the classpath builds this type for {@code email-reply-00} challenge objects.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8823#section-3">RFC 8823 §3</a>
 */
public class EmailReply00Challenge extends Challenge {
    private static final long serialVersionUID = 1L;

    /** The challenge type name. */
    public static final String TYPE = "email-reply-00";

    public EmailReply00Challenge(Login login, JSON data) {
        super(login, data);
    }

    /** The challenge mail's From address (RFC 8823 §3 step 3). */
    public String getFrom() {
        return getJSON().get("from").asString();
    }

    /** token-part2, the {@code token} of the challenge object. */
    public String getTokenPart2() {
        return getJSON().get("token").asString();
    }

    /**
     * The response digest {@code base64url(SHA-256(token-part1 || token-part2 "." thumbprint))} of this
     * login's account key (RFC 8823 §3 step 6).
     *
     * @param tokenPart1 read from the challenge mail's Subject {@code ACME: <token-part1>}
     */
    public String digest(String tokenPart1) {
        String thumbprint = JwkThumbprint.of(getLogin().getKeyPair().getPublic());
        return KeyAuthorization.digest(tokenPart1, getTokenPart2(), thumbprint);
    }

    @Override
    protected boolean acceptable(String type) {
        return TYPE.equals(type);
    }
}
