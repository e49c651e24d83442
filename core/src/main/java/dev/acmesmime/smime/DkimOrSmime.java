package dev.acmesmime.smime;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Objects;

import dev.acmesmime.metrics.PluginMetrics;
import dev.acmesmime.dkim.DkimKeyResolver;
import dev.acmesmime.dkim.DkimPolicyVerifier;
import dev.acmesmime.rfc8823.AuthenticityVerifier;

/**
 * The one way an adapter (mailet, CLI) builds the authenticity verifier of RFC 8823: DKIM under
 * the RFC 8823 policy ({@link DkimPolicyVerifier}, D2–D16) for every mail, or, for a challenge, an
 * S/MIME signature ({@link SmimeChallengeVerifier}, C15, C17, D5), combined by
 * {@link CompositeAuthenticityVerifier}. Every option is explicit, so two adapters given the same
 * setting verify alike.
 * <pre>{@code
 * AuthenticityVerifier authenticity = DkimOrSmime.builder()
 *         .keyResolver(resolver)                                    // required
 *         .trustAnchorSetting(" conf/smime-roots.pem ", home)      // default: the JDK's cacerts
 *         .clock(clock)                                             // default: Clock.systemUTC()
 *         .build();
 * }</pre>
 */
public final class DkimOrSmime {

    /**
     * The trust anchor setting that turns S/MIME off: challenges must then be DKIM-signed. RFC 8823
     * allows either (C15); an organisation that trusts no S/MIME root says so with this word.
     */
    public static final String NONE = "none";

    private DkimOrSmime() {
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options; the key resolver is required. */
    public static final class Builder {
        private DkimKeyResolver keyResolver;
        private List<X509Certificate> trustAnchors;
        private boolean smime = true;
        private Clock clock = Clock.systemUTC();
        private PluginMetrics metrics = PluginMetrics.NONE;

        private Builder() {
        }

        /** Where the DKIM verifier reports each verification's time; default none. */
        public Builder metrics(PluginMetrics metrics) {
            this.metrics = Objects.requireNonNull(metrics, "metrics");
            return this;
        }

        /** Where DKIM keys are fetched (D16: a failed lookup is {@code dkim-temperror}). */
        public Builder keyResolver(DkimKeyResolver resolver) {
            this.keyResolver = Objects.requireNonNull(resolver, "resolver");
            return this;
        }

        /**
         * The certificates an S/MIME signer must chain to (X14: RFC 8823 names none, the operator
         * chooses); default {@link TrustAnchors#jdkDefault()}.
         *
         * @throws IllegalArgumentException when empty: nothing could ever be trusted
         */
        public Builder trustAnchors(List<X509Certificate> anchors) {
            if (anchors.isEmpty()) {
                throw new IllegalArgumentException("no trust anchors given");
            }
            this.trustAnchors = List.copyOf(anchors);
            this.smime = true;
            return this;
        }

        /** DKIM only: an S/MIME-signed challenge is judged by its DKIM signature alone. */
        public Builder dkimOnly() {
            this.smime = false;
            this.trustAnchors = null;
            return this;
        }

        /**
         * Applies the one spelling of the trust anchor setting (the mailets' {@code smimeTrustAnchors},
         * the CLI's {@code --smime-trust}): blank or {@code null} for the JDK's cacerts, {@value #NONE}
         * for {@link #dkimOnly()}, else a PEM bundle, a relative path resolved against {@code base}.
         *
         * @throws IOException when the file cannot be read or holds no certificate
         */
        public Builder trustAnchorSetting(String setting, Path base) throws IOException {
            if (setting == null || setting.isBlank()) {
                return this;
            }
            String value = setting.trim();
            if (value.equalsIgnoreCase(NONE)) {
                return dkimOnly();
            }
            Path file;
            try {
                file = base.resolve(value).normalize();
            } catch (InvalidPathException e) {
                throw new IOException("not a valid path", e);
            }
            return trustAnchors(TrustAnchors.fromPem(file));
        }

        /** The instant S/MIME certificates must be valid at; default {@link Clock#systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public AuthenticityVerifier build() {
            if (keyResolver == null) {
                throw new IllegalStateException("keyResolver is required");
            }
            DkimPolicyVerifier dkim = DkimPolicyVerifier.builder().keyResolver(keyResolver).metrics(metrics).build();
            if (!smime) {
                return dkim;
            }
            SmimeChallengeVerifier.Builder s = SmimeChallengeVerifier.builder().clock(clock);
            if (trustAnchors != null) {
                s.trustAnchors(trustAnchors);
            }
            return CompositeAuthenticityVerifier.dkimOrSmime(dkim, s.build());
        }
    }
}
