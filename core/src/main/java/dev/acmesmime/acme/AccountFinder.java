package dev.acmesmime.acme;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.util.Optional;

import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.acmesmime.acme.CaProfile.Eab;

/**
 * Finds or creates the ACME account of one profile, for {@link AcmeCaClient} (see there for the rules): the
 * existing account with the stored key, else a new one (terms of service, EAB), the key and URL saved
 * through {@link AccountKeys}. Logs the account URL, never the key or the EAB HMAC key.
 */
final class AccountFinder {
    private static final Logger LOG = LoggerFactory.getLogger(AccountFinder.class);

    private final CaProfile profile;
    private final AccountKeys accountKeys;
    private final Session session;

    AccountFinder(CaProfile profile, AccountKeys accountKeys, Session session) {
        this.profile = profile;
        this.accountKeys = accountKeys;
        this.session = session;
    }

    /** The profile's account, found with the stored key or else created; its Login is on this Session. */
    Login findOrCreate() throws AcmeException {
        Optional<KeyPair> stored = accountKeys.load(profile);
        Optional<Login> existing = stored.isPresent() ? existing(stored.get()) : Optional.empty();
        Login l = existing.isPresent() ? existing.get() : create(stored.orElseGet(this::newKey));
        // saved again when found too: the CA may have answered with another URL than the store holds
        accountKeys.save(profile, l.getKeyPair(), Optional.of(AcmeCaClient.uri(l.getAccountLocation())));
        LOG.info("profile {}: {} ACME account {}", profile.name(), existing.isPresent() ? "using" : "created",
                l.getAccountLocation());
        return l;
    }

    /** A new account key, stored before the CA hears of it, so a crash cannot leave an account without key. */
    private KeyPair newKey() {
        KeyPair key = Keys.account();
        accountKeys.save(profile, key, Optional.empty());
        return key;
    }

    private Optional<Login> existing(KeyPair key) throws AcmeException {
        try {
            return Optional.of(new AccountBuilder().onlyExisting().useKeyPair(key).createLogin(session));
        } catch (AcmeServerException e) {
            if (e.getType().toString().equals(CaProblem.acmeType("accountDoesNotExist"))) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private Login create(KeyPair key) throws AcmeException {
        AccountBuilder builder = new AccountBuilder().useKeyPair(key);
        Optional<URI> terms = session.getMetadata().getTermsOfService();
        if (profile.termsOfServiceAgreed()) {
            builder.agreeToTermsOfService();
        } else if (terms.isPresent()) {
            throw new CaException(CaProblem.client(CaProblem.TERMS_NOT_AGREED, "the CA's terms of service are "
                    + terms.get() + "; once read, set " + CaProfiles.PREFIX + profile.name() + "."
                    + CaProfiles.TERMS_OF_SERVICE_AGREED + "=true"));
        }
        if (profile.eab().isPresent()) {
            Eab eab = profile.eab().get();
            builder.withKeyIdentifier(eab.keyId(), hmacKey(eab));
        }
        return builder.createLogin(session);
    }

    private String hmacKey(Eab eab) {
        try {
            return Files.readString(eab.hmacKeyFile(), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new CaException(CaProblem.client("configuration", "cannot read "
                    + eab.hmacKeyFile() + ": " + e.getMessage()), e);
        }
    }
}
