package dev.acmesmime.acme;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One CA the enrolment orders from, and how: read from {@code enrolment.profile.<name>.*} by
 * {@link CaProfiles}, whose Javadoc lists the settings. Holds file paths, never secrets: the trust store
 * password and the EAB HMAC key are read from their files when the client starts.
 *
 * @param name                 the profile's name, {@code <name>} in the settings
 * @param directory            the CA's ACME directory URL
 * @param trustStore           trust anchors for the CA's TLS certificate; empty for the JDK's
 * @param termsOfServiceAgreed whether the admin agrees to the CA's terms of service
 * @param eab                  the external account binding, for CAs that require one (RFC 8555 §7.3.4)
 * @param keyType              the certificate key each mailbox gets
 * @param keyUsage             what the certificate's key may do (RFC 8823 §3.3)
 * @param concatenation        how this CA joins the token parts
 * @param postDelay            wait between sending the response and triggering the challenge
 * @param domains              domain patterns ({@code example.org}, {@code *.example.org}) of the mailboxes
 */
public record CaProfile(String name, URI directory, Optional<TrustStore> trustStore, boolean termsOfServiceAgreed,
                        Optional<Eab> eab, KeyType keyType, KeyUsageChoice keyUsage, Concatenation concatenation,
                        Duration postDelay, List<String> domains) {

    /**
     * A trust store file: PEM certificates ({@code .pem}, {@code .crt}) or a PKCS#12/JKS key store.
     *
     * @param file         the file
     * @param passwordFile the key store's password as text; empty for PEM or a store without password
     */
    public record TrustStore(Path file, Optional<Path> passwordFile) {
        public TrustStore {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(passwordFile, "passwordFile");
        }
    }

    /**
     * External Account Binding (RFC 8555 §7.3.4).
     *
     * @param keyId       the key identifier the CA gave
     * @param hmacKeyFile the file holding the HMAC key the CA gave, base64url as CAs hand it out
     */
    public record Eab(String keyId, Path hmacKeyFile) {
        public Eab {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(hmacKeyFile, "hmacKeyFile");
        }
    }

    public CaProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(trustStore, "trustStore");
        Objects.requireNonNull(eab, "eab");
        Objects.requireNonNull(keyType, "keyType");
        Objects.requireNonNull(keyUsage, "keyUsage");
        Objects.requireNonNull(concatenation, "concatenation");
        Objects.requireNonNull(postDelay, "postDelay");
        domains = List.copyOf(domains);
    }

    /** Whether {@code domain} (lower case) is one of this profile's patterns, exactly or by wildcard. */
    public boolean covers(String domain) {
        return domains.stream().anyMatch(p -> DomainPattern.matches(p, domain.toLowerCase(Locale.ROOT)));
    }
}
