package dev.acmesmime.testca.acme;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;

/**
 * Anti-replay nonces (RFC 8555 §6.5): each one is issued by this server, is good for one request, and is
 * forgotten once used. Only the newest {@value #REMEMBERED} are remembered; an older one is refused like
 * a used one, which a client must handle anyway (§6.5: retry with the fresh nonce of the badNonce answer).
 * <p>
 * Fault injection ({@code fault.nonceRejectPercent}, Pebble's {@code PEBBLE_WFE_NONCEREJECT}): that share
 * of VALID nonces is refused with badNonce too, so clients prove they retry.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-6.5">RFC 8555 §6.5</a>
 */
public final class Nonces {
    static final int REMEMBERED = 100_000;

    private final SecureRandom random;
    private final Random fault;
    private final int rejectPercent;
    /** Insertion order, so the oldest is forgotten first. */
    private final Set<String> open = new LinkedHashSet<>();

    /**
     * @param rejectPercent share of valid nonces refused anyway, 0 to 100
     * @param fault         the dice for that share (seeded in tests)
     */
    public Nonces(SecureRandom random, int rejectPercent, Random fault) {
        if (rejectPercent < 0 || rejectPercent > 100) {
            throw new IllegalArgumentException("rejectPercent must be 0..100");
        }
        this.random = random;
        this.rejectPercent = rejectPercent;
        this.fault = fault;
    }

    /** A fresh nonce: 128 random bits, base64url. */
    public synchronized String issue() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        String nonce = Base64.getUrlEncoder().withoutPadding().encodeToString(b);
        open.add(nonce);
        if (open.size() > REMEMBERED) {
            Iterator<String> oldest = open.iterator();
            oldest.next();
            oldest.remove();
        }
        return nonce;
    }

    /**
     * Uses up a nonce. A nonce that was never issued, was used before, or is refused by the fault
     * injection is a badNonce (RFC 8555 §6.5); a used nonce stays used even when the fault refuses it.
     */
    public synchronized void consume(String nonce) {
        if (nonce == null || !open.remove(nonce)) {
            throw Problem.of(ProblemType.BAD_NONCE, "the nonce is unknown or was used before").exception();
        }
        if (rejectPercent > 0 && fault.nextInt(100) < rejectPercent) {
            throw Problem.of(ProblemType.BAD_NONCE, "the nonce was refused on purpose (fault.nonceRejectPercent)")
                    .exception();
        }
    }
}
