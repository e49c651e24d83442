package dev.acmesmime.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.commons.net.smtp.AuthenticatingSMTPClient;
import org.apache.commons.net.smtp.AuthenticatingSMTPClient.AUTH_METHOD;
import org.apache.commons.net.smtp.SMTPClient;

/**
 * The benchmark's SMTP client: sends over 4 connections (or as many as asked) side by side, mail i over
 * connection i mod their number, optionally paced, noting when each mail's DATA ended; optionally logged in
 * (AUTH PLAIN) as a user of the James it sends to, as mail clients submit.
 */
final class BenchSender {

    private final int threads;
    private final int smtpPort;
    /** The SMTP AUTH user, null to send without logging in. */
    private final String user;
    private final String password;

    BenchSender(int smtpPort) {
        this(smtpPort, 4, null, null);
    }

    /** {@code connections} side by side, each logged in as {@code user} (AUTH PLAIN) before it sends. */
    BenchSender(int smtpPort, int connections, String user, String password) {
        this.smtpPort = smtpPort;
        this.threads = connections;
        this.user = user;
        this.password = password;
    }

    /**
     * {@code fixedFrom} null: each mail from its own address to {@code recipient}; otherwise from
     * {@code fixedFrom} to each address. {@code rate} &gt; 0 paces the sends to that many mails per
     * second in all (mail i leaves at i/rate s), 0 sends as fast as the connections allow.
     * {@code sentAt}, when not null, gets {@code ids[i]} → System.nanoTime() after mail i's DATA.
     */
    void send(String fixedFrom, List<String> addresses, List<String> mails, List<String> ids,
              Map<String, Long> sentAt, String recipient, int rate) throws Exception {
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    connection(first, t0, fixedFrom, addresses, mails, ids, sentAt, recipient, rate);
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private void connection(int first, long t0, String fixedFrom, List<String> addresses, List<String> mails,
                            List<String> ids, Map<String, Long> sentAt, String recipient, int rate)
            throws IOException, InterruptedException {
        SMTPClient smtp = open();
        try {
            for (int i = first; i < mails.size(); i += threads) {
                if (rate > 0) {
                    long wait = t0 + i * 1_000_000_000L / rate - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
                String from = fixedFrom != null ? fixedFrom : addresses.get(i);
                String to = fixedFrom != null ? addresses.get(i) : recipient;
                if (!smtp.sendSimpleMessage(from, to, mails.get(i))) {
                    throw new IOException("SMTP refused mail " + i + ": " + smtp.getReplyString());
                }
                if (sentAt != null) {
                    sentAt.put(ids.get(i), System.nanoTime());
                }
            }
            smtp.logout();
        } finally {
            smtp.disconnect();
        }
    }

    /** A connection greeted (HELO, or EHLO and AUTH PLAIN with a user). */
    private SMTPClient open() throws IOException {
        if (user == null) {
            SMTPClient smtp = new SMTPClient(StandardCharsets.US_ASCII.name());
            smtp.connect("127.0.0.1", smtpPort);
            smtp.login("bench.example");
            return smtp;
        }
        AuthenticatingSMTPClient smtp = new AuthenticatingSMTPClient("TLS", false, StandardCharsets.US_ASCII.name());
        smtp.connect("127.0.0.1", smtpPort);
        try {
            if (!smtp.elogin("bench.example") || !smtp.auth(AUTH_METHOD.PLAIN, user, password)) {
                throw new IOException("SMTP AUTH PLAIN as " + user + " refused: " + smtp.getReplyString());
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("AUTH PLAIN needs no algorithm", e);
        } catch (IOException e) {
            smtp.disconnect();
            throw e;
        }
        return smtp;
    }
}
