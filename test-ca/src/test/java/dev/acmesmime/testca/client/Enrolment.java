package dev.acmesmime.testca.client;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;

import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Identifier;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.exception.AcmeException;

import dev.acmesmime.acme.EmailReply00Challenge;

/**
 * The RFC 8823 enrolment steps as an acme4j client and the CA-role James perform them, for one account:
 * order an email identifier, read token-part1 from the challenge mail, forward the response's digest over
 * the native contract, trigger the challenge, finalize with an S/MIME CSR and download the chain.
 */
public final class Enrolment {
    public static final String EMAIL = "email";
    static final Duration WAIT = Duration.ofSeconds(20);

    private final RunningTestCa ca;
    private final Login login;

    public Enrolment(RunningTestCa ca, Login login) {
        this.ca = ca;
        this.login = login;
    }

    /** A new account (no EAB) with {@code key}, terms agreed. */
    public static Enrolment newAccount(RunningTestCa ca, KeyPair key) throws AcmeException {
        return new Enrolment(ca, new AccountBuilder().agreeToTermsOfService().useKeyPair(key)
                .createLogin(ca.session()));
    }

    public Login login() {
        return login;
    }

    public static Identifier email(String address) {
        return new Identifier(EMAIL, address);
    }

    public Order order(String address) throws AcmeException {
        return login.newOrder().identifier(email(address)).create();
    }

    /** The order's single authorization's {@code email-reply-00} challenge. */
    public static EmailReply00Challenge challenge(Order order) {
        List<Authorization> authorizations = order.getAuthorizations();
        if (authorizations.size() != 1) {
            throw new IllegalStateException("expected one authorization, got " + authorizations.size());
        }
        return authorizations.get(0).findChallenge(EmailReply00Challenge.class)
                .orElseThrow(() -> new IllegalStateException("no " + EmailReply00Challenge.TYPE + " challenge"));
    }

    /** Waits for the challenge mail to {@code address} and forwards the correct response's result. */
    public CaRoleForwarder.Answer respond(EmailReply00Challenge challenge, String address) {
        return respond(challenge, address, 0);
    }

    /** As {@link #respond(EmailReply00Challenge, String)}, to the {@code mailIndex}th mail to {@code address}. */
    public CaRoleForwarder.Answer respond(EmailReply00Challenge challenge, String address, int mailIndex) {
        ChallengeMails.Received mail = ca.mails().awaitFor(address, mailIndex);
        return ca.forwarder().post(mail, challenge.digest(mail.tokenPart1()));
    }

    /** Response first, then the client's POST; waits for VALID. */
    public Status validate(Order order, String address) throws AcmeException, InterruptedException {
        EmailReply00Challenge challenge = challenge(order);
        respond(challenge, address);
        challenge.trigger();
        return challenge.waitForCompletion(WAIT);
    }

    /** Finalizes a ready order with an S/MIME CSR for {@code address} and downloads the chain. */
    public Certificate finalizeOrder(Order order, KeyPair certificateKey, String address)
            throws AcmeException, InterruptedException {
        order.waitUntilReady(WAIT);
        order.execute(Csrs.smime(certificateKey, address));
        Status status = order.waitForCompletion(WAIT);
        if (status != Status.VALID) {
            throw new IllegalStateException("order " + order.getLocation() + " ended " + status + " "
                    + order.getError().map(Object::toString).orElse(""));
        }
        Certificate certificate = order.getCertificate();
        certificate.download();
        return certificate;
    }

    /** The whole enrolment of {@code address}: order, validate, finalize, download. */
    public Certificate issue(String address, KeyPair certificateKey) throws AcmeException, InterruptedException {
        Order order = order(address);
        Status status = validate(order, address);
        if (status != Status.VALID) {
            throw new IllegalStateException("challenge for " + address + " ended " + status);
        }
        return finalizeOrder(order, certificateKey, address);
    }
}
