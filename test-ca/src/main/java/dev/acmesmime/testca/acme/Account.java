package dev.acmesmime.testca.acme;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jose4j.jwk.PublicJsonWebKey;

/**
 * An ACME account (RFC 8555 §7.1.2), as held in memory. A new value replaces the old one on update or
 * deactivation; the key never changes (key rollover is not offered).
 *
 * @param id         the last path segment of its URL
 * @param url        its URL, the {@code kid} of its requests
 * @param key        its public key
 * @param thumbprint RFC 7638 thumbprint of the key (core {@code JwkThumbprint}), the account's index
 * @param contact    {@code mailto:} URIs
 * @param status     valid or deactivated
 * @param eabKid     the external account it was bound to (RFC 8555 §7.3.4), when it was
 * @param createdAt  when it was created
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8555#section-7.1.2">RFC 8555 §7.1.2</a>
 */
public record Account(String id, URI url, PublicJsonWebKey key, String thumbprint, List<String> contact,
                      Status status, Optional<String> eabKid, Instant createdAt) {

    /** RFC 8555 §7.1.6 account states this server uses (it never revokes an account itself). */
    public enum Status {
        VALID, DEACTIVATED;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Account {
        contact = List.copyOf(contact);
    }

    public boolean active() {
        return status == Status.VALID;
    }

    public Account withContact(List<String> newContact) {
        return new Account(id, url, key, thumbprint, newContact, status, eabKid, createdAt);
    }

    public Account deactivated() {
        return new Account(id, url, key, thumbprint, contact, Status.DEACTIVATED, eabKid, createdAt);
    }
}
