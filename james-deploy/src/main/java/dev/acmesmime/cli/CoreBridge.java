package dev.acmesmime.cli;

import java.io.IOException;
import java.nio.file.Path;

import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.JwkThumbprint;
import dev.acmesmime.rfc8823.KeyAuthorization;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.ResponseMail;
import dev.acmesmime.rfc8823.Verdict;

/** The CLI's only calls into core, so each command stays a few lines of argument handling. */
final class CoreBridge {
    private CoreBridge() {
    }

    static String digest(String tokenPart1, String tokenPart2, String thumbprint, boolean byteConcatenation) {
        return byteConcatenation
                ? KeyAuthorization.digestByteConcatenation(tokenPart1, tokenPart2, thumbprint)
                : KeyAuthorization.digest(tokenPart1, tokenPart2, thumbprint);
    }

    static String thumbprintOfJwk(String jwkJson) {
        return JwkThumbprint.ofJwk(jwkJson);
    }

    static AuthenticityVerifier authenticity(String dnsServer) {
        return AuthenticityVerifier.NOT_PERFORMED;
    }

    /**
     * A challenge the CLI may answer: every header rule passed. Its signature is reported but not
     * required, because an admin may answer a copy whose signature was broken in transit.
     */
    static boolean answerable(Verdict challenge) {
        return challenge.kind() == MessageKind.CHALLENGE
                && challenge.values().tokenPart1() != null
                && challenge.checks().stream().allMatch(c -> c.ok() || c.code().code().startsWith("dkim-")
                        || c.code().code().startsWith("smime-"));
    }

    static byte[] respond(Verdict challenge, String tokenPart2, String thumbprint, boolean byteConcatenation,
                          Path dkimKey, String dkimSelector) throws IOException {
        ResponseMail.Builder b = ResponseMail.answering(challenge, tokenPart2, thumbprint);
        if (byteConcatenation) {
            b.digest(KeyAuthorization.digestByteConcatenation(challenge.values().tokenPart1(), tokenPart2, thumbprint));
        }
        byte[] response = b.build().toByteArray();
        if (dkimKey != null) {
            throw new IllegalArgumentException("--dkim-key: DKIM signing is not wired yet");
        }
        return response;
    }
}
