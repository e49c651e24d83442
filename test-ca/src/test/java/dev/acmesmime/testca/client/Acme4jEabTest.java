package dev.acmesmime.testca.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.shredzone.acme4j.Account;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * With {@code eab=required}, as commercial CAs run, acme4j-client must bind its account to an external
 * account (RFC 8555 §7.3.4): with the right MAC key the account is created, without a binding the test CA
 * answers {@code externalAccountRequired}.
 */
class Acme4jEabTest {
    private static final String KID = "kid-1";
    private static final String MAC_KEY = Base64.getUrlEncoder().withoutPadding()
            .encodeToString(new SecureRandom().generateSeed(32));

    @RegisterExtension
    static final RunningTestCa CA = RunningTestCa.withDefaults().with("eab", "required").with("eab.key." + KID, MAC_KEY);

    @Test
    void directorySaysEabIsRequired() throws Exception {
        assertThat(CA.session().getMetadata().isExternalAccountRequired()).isTrue();
    }

    @Test
    void theRightMacKeyCreatesTheAccount() throws Exception {
        Account account = new AccountBuilder().agreeToTermsOfService().useKeyPair(Keys.ec256())
                .withKeyIdentifier(KID, MAC_KEY).create(CA.session());
        assertThat(account.getStatus()).isEqualTo(Status.VALID);
        assertThat(account.getLocation()).isNotNull();
    }

    @Test
    void noBindingIsExternalAccountRequired() {
        assertThatThrownBy(() -> new AccountBuilder().agreeToTermsOfService().useKeyPair(Keys.ec256())
                .create(CA.session()))
                .isInstanceOf(AcmeServerException.class)
                .extracting(e -> ((AcmeServerException) e).getType())
                .isEqualTo(Problems.type("externalAccountRequired"));
    }

    @Test
    void anEabAccountEnrols() throws Exception {
        Enrolment enrolment = new Enrolment(CA, new AccountBuilder().agreeToTermsOfService().useKeyPair(Keys.ec256())
                .withKeyIdentifier(KID, MAC_KEY).createLogin(CA.session()));
        assertThat(enrolment.issue("eab@example.org", Keys.ec256()).getCertificate()).isNotNull();
    }
}
