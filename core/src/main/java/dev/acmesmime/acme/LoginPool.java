package dev.acmesmime.acme;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Function;
import java.util.function.Supplier;

import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;

/**
 * The acme4j {@link Login}s of one profile's account, each on a {@link Session} of its own, lent for one call
 * at a time, so that calls from several threads reach the CA together.
 * <p>
 * Why: acme4j 4.0.0 holds a Session's nonce lock ({@code Session.lockNonce}) for the whole of every request,
 * signed POSTs and GETs alike ({@code DefaultConnection.performRequest} and {@code sendRequest}), so one
 * Session makes one request at a time however many enrolment threads share it.
 * <p>
 * At most {@code size} Sessions are made, and only when that many calls run at once; each new Session fetches
 * the directory and a nonce on its first call, nothing more (the account is known: {@code Session.login}
 * makes no request). A call finding all of them lent waits for one to come back. Logins are lent per call,
 * not kept per thread, so many or short-lived threads neither multiply Sessions nor leak them.
 */
final class LoginPool {
    private final int size;
    private final Supplier<Login> factory;
    private final Deque<Login> idle = new ArrayDeque<>();
    private int made;

    /**
     * @param size    the most Sessions, hence the most concurrent calls
     * @param factory a Login on a new Session; called while the pool is locked, so it must make no request
     */
    LoginPool(int size, Supplier<Login> factory) {
        if (size < 1) {
            throw new IllegalArgumentException("at least one ACME session, not " + size);
        }
        this.size = size;
        this.factory = factory;
    }

    /** Adds a Login made elsewhere (the one the account was found with, its Session already warm). */
    synchronized void add(Login login) {
        if (made < size) {
            made++;
            idle.push(login);
            notifyAll();
        }
    }

    /** Runs {@code call} with a Login no other thread uses meanwhile. */
    <T> T with(Function<Login, T> call) {
        Login login = borrow();
        try {
            return call.apply(login);
        } finally {
            giveBack(login);
        }
    }

    /** How many Sessions were made so far. */
    synchronized int sessions() {
        return made;
    }

    private synchronized Login borrow() {
        while (idle.isEmpty() && made >= size) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CaException(CaProblem.client(CaProblem.CONNECTION,
                        "interrupted while waiting for one of the " + size + " ACME sessions"), e);
            }
        }
        if (!idle.isEmpty()) {
            return idle.pop();
        }
        Login login = factory.get();
        made++;
        return login;
    }

    private synchronized void giveBack(Login login) {
        idle.push(login);
        notifyAll();
    }
}
