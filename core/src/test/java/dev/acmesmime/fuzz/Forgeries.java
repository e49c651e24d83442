package dev.acmesmime.fuzz;

import java.util.Arrays;

/**
 * The third invariant: a mail the plugin accepted as authentic must carry a DKIM signature that dkimpy, an
 * independent implementation, also verifies with the same keys. A mutation in an unsigned field, or one that
 * relaxed canonicalisation undoes, keeps the signature good and may be accepted; any other change of a signed
 * header field or of the body must not be. The signed originals themselves are not asked about.
 */
final class Forgeries {

    private static final class Oracle {
        static final DkimpyOracle DKIMPY = new DkimpyOracle(SignedMails.get().records());
    }

    private Forgeries() {
    }

    /** {@code mail} was accepted as {@code what}: counted, and a forgery if dkimpy does not verify it. */
    static void accepted(Campaign campaign, byte[] mail, String what) {
        campaign.accepted();
        SignedMails signed = SignedMails.get();
        if (Arrays.equals(mail, signed.challenge()) || Arrays.equals(mail, signed.response())) {
            return;
        }
        if (!Oracle.DKIMPY.verifies(mail)) {
            campaign.forgery(mail, what + " that dkimpy does not verify");
        }
    }

    /** Whether dkimpy verifies {@code mail}: for the tests that show the oracle can say no. */
    static boolean dkimpyVerifies(byte[] mail) {
        return Oracle.DKIMPY.verifies(mail);
    }
}
