package dev.acmesmime.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;

import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.dkim.DkimSigner;
import dev.acmesmime.rfc8823.AuthenticityVerifier;
import dev.acmesmime.rfc8823.JwkThumbprint;
import dev.acmesmime.rfc8823.KeyAuthorization;
import dev.acmesmime.rfc8823.MessageKind;
import dev.acmesmime.rfc8823.ResponseMail;
import dev.acmesmime.rfc8823.Verdict;
import dev.acmesmime.smime.DkimOrSmime;
import dev.acmesmime.store.MasterKey;

/** The CLI's only calls into core, so each command stays a few lines of argument handling. */
final class CoreBridge {
    private CoreBridge() {
    }

    static String digest(String tokenPart1, String tokenPart2, String thumbprint, boolean byteConcatenation) {
        return byteConcatenation
                ? KeyAuthorization.digestByteConcatenation(tokenPart1, tokenPart2, thumbprint)
                : KeyAuthorization.digest(tokenPart1, tokenPart2, thumbprint);
    }

    /** Creates a master key file; returns the key's id (the key itself never leaves the file). */
    static String createMasterKey(Path file) {
        return MasterKey.create(file).keyIdHex();
    }

    static String thumbprintOfJwk(String jwkJson) {
        return JwkThumbprint.ofJwk(jwkJson);
    }

    /**
     * {@code --dns-server} checked before any work: {@code HOST:PORT} (or {@code [IPv6]:PORT}) with a port of
     * 1..65535 and a host that resolves, so a typo is a usage error (exit 2) and not, later, a DNS timeout
     * that reads as {@code dkim-temperror}.
     *
     * @return the value, or {@code null} when none was given (the system resolver)
     * @throws IllegalArgumentException one line naming the option and what is wrong
     */
    static String dnsServer(String hostPort) {
        if (hostPort == null) {
            return null;
        }
        boolean port = hostPort.startsWith("[") ? hostPort.contains("]:")
                : hostPort.indexOf(':') >= 0 && hostPort.indexOf(':') == hostPort.lastIndexOf(':');
        if (!port) {
            throw new IllegalArgumentException("--dns-server takes HOST:PORT (e.g. 127.0.0.1:53), not " + hostPort);
        }
        InetSocketAddress address;
        try {
            address = DkimKeyResolver.builder().server(hostPort).build().servers().get(0);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--dns-server: " + e.getMessage());
        }
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("--dns-server " + hostPort + ": unknown host " + address.getHostString());
        }
        return hostPort;
    }

    /** The resolver for a {@link #dnsServer checked} {@code HOST:PORT}, or the system's for {@code null}. */
    static DkimKeyResolver resolver(String dnsServer) {
        return dnsServer == null ? DkimKeyResolver.systemDefault() : DkimKeyResolver.builder().server(dnsServer).build();
    }

    /**
     * DKIM under the RFC 8823 policy, or S/MIME for challenges, built as the mailets build it. One mail per
     * run, so the resolver is the process's own (no cache to share) and the clock is the system's.
     *
     * @param dnsServer    a {@link #dnsServer checked} {@code HOST:PORT} for DKIM key lookups, or {@code null}
     * @param smimeTrust   a PEM bundle of S/MIME trust anchors, {@value DkimOrSmime#NONE}, or {@code null}
     *                     for the JDK's cacerts
     */
    static AuthenticityVerifier authenticity(String dnsServer, String smimeTrust) throws IOException {
        return DkimOrSmime.builder()
                .keyResolver(resolver(dnsServer))
                .trustAnchorSetting(smimeTrust, Path.of(""))
                .clock(Clock.systemUTC())
                .build();
    }

    /**
     * A challenge the CLI may answer: every header rule passed. Its signature is reported but not
     * required, because an admin may answer a copy whose signature was broken in transit.
     */
    static boolean answerable(Verdict challenge) {
        return challenge.kind() == MessageKind.CHALLENGE
                && challenge.values().tokenPart1() != null
                && challenge.checks().stream().allMatch(c -> c.ok() || c.code().isAuthenticity());
    }

    static byte[] respond(Verdict challenge, String tokenPart2, String thumbprint, boolean byteConcatenation,
                          Path dkimKey, String dkimSelector) throws IOException {
        ResponseMail.Builder b = ResponseMail.answering(challenge, tokenPart2, thumbprint);
        if (byteConcatenation) {
            b.digest(KeyAuthorization.digestByteConcatenation(challenge.values().tokenPart1(), tokenPart2, thumbprint));
        }
        byte[] response = b.build().toByteArray();
        if (dkimKey == null) {
            return response;
        }
        // d= is the From domain, i.e. the identifier's domain (D8); h= is the D7 + D3 list (D9).
        return DkimSigner.builder().privateKey(dkimKey).selector(dkimSelector).build()
                .sign(response, MessageKind.RESPONSE);
    }
}
