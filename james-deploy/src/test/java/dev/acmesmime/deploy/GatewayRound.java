package dev.acmesmime.deploy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.subethamail.wiser.WiserMessage;

import dev.acmesmime.james.it.OrgJames;

/**
 * One round of {@link GatewayBenchmark}: {@code count} mails of {@link #SIZE} octets sent over SMTP by a
 * {@link BenchSender} (logged in as the sender), relayed by the organisation James to the benchmark's SMTP sink,
 * timed from the first send until the sink holds every one of them; then what each became, read from the
 * sink's copies: the top-level content type and the {@code X-Acme-Smime-Gateway} fields the mailets added.
 *
 * @param org    the organisation James
 * @param sink   its RemoteDelivery gateway; emptied at the start of each round
 * @param sender logged in as {@code from}
 * @param from   the sender (From and MAIL FROM)
 * @param to     the recipient outside the organisation
 */
record GatewayRound(OrgRoleProcess org, OrgRoleProcess.TimedSink sink, BenchSender sender, String from, String to) {

    /** Each mail's size, header included: 10 KiB. */
    static final int SIZE = 10 * 1024;
    /** No new mail at the sink for this long ends a round as failed. */
    static final Duration STALL = Duration.ofMinutes(2);
    private static final Pattern SMIME_TYPE = Pattern.compile("(?i)smime-type\\s*=\\s*\"?([A-Za-z0-9-]+)");

    /**
     * What one round measured.
     *
     * @param sent    mails sent
     * @param caught  mails of this round the sink holds (a duplicate counts twice)
     * @param sent    from the first send until James had accepted the last one over SMTP
     * @param wall    from the first send to the last arrival
     * @param cpu     the organisation James's CPU time (user + system) over the round
     * @param ownCpu  this JVM's (the sender's and the sink's) over the round
     * @param types   top-level content type (with its smime-type) → mails
     * @param actions the {@code X-Acme-Smime-Gateway} values of a mail, joined by " | " → mails
     */
    record Result(int count, int caught, Duration sent, Duration wall, Duration cpu, Duration ownCpu,
                  Map<String, Integer> types, Map<String, Integer> actions) {

        double perSecond() {
            return count * 1e9 / wall.toNanos();
        }

        /** The organisation James's CPU per mail, ms. */
        double cpuMsPerMail() {
            return cpu.toNanos() / 1e6 / count;
        }

        /** The benchmark JVM's CPU per mail, ms. */
        double ownCpuMsPerMail() {
            return ownCpu.toNanos() / 1e6 / count;
        }

        /** Several rounds as one: mails, times and CPU added up, the forms counted together. */
        static Result total(List<Result> rounds) {
            Map<String, Integer> types = new TreeMap<>();
            Map<String, Integer> actions = new TreeMap<>();
            Result t = new Result(0, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, types, actions);
            for (Result r : rounds) {
                r.types.forEach((k, n) -> types.merge(k, n, Integer::sum));
                r.actions.forEach((k, n) -> actions.merge(k, n, Integer::sum));
                t = new Result(t.count + r.count, t.caught + r.caught, t.sent.plus(r.sent), t.wall.plus(r.wall),
                        t.cpu.plus(r.cpu), t.ownCpu.plus(r.ownCpu), types, actions);
            }
            return t;
        }
    }

    /** Sends {@code count} mails with subjects {@code "gateway bench <label> <i>"} and waits for all of them. */
    Result run(String label, int count) throws Exception {
        List<String> subjects = new ArrayList<>();
        List<String> mails = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            subjects.add("gateway bench " + label + " " + i);
            mails.add(mail(subjects.get(i), label + "." + i));
        }
        sink.getMessages().clear();
        sink.arrivals.clear();
        long pid = org.pid();
        long own = ProcessHandle.current().pid();
        Duration cpu = ProcessStats.cpu(pid);
        Duration ownCpu = ProcessStats.cpu(own);
        long start = System.nanoTime();
        sender.send(from, Collections.nCopies(count, to), mails, null, null, null, 0);
        long sent = System.nanoTime();
        long end = awaitAll(subjects);
        Duration used = ProcessStats.cpu(pid).minus(cpu);
        Duration ownUsed = ProcessStats.cpu(own).minus(ownCpu);
        Map<String, Integer> types = new TreeMap<>();
        Map<String, Integer> actions = new TreeMap<>();
        int caught = 0;
        for (WiserMessage m : OrgJames.received(sink)) {
            String header = header(m.getData());
            if (!OrgJames.headerValues(header, "Subject").stream().anyMatch(subjects::contains)) {
                continue; // not this round's (a bounce, a late copy): not counted
            }
            caught++;
            types.merge(type(header), 1, Integer::sum);
            actions.merge(String.join(" | ", OrgJames.headerValues(header, "X-Acme-Smime-Gateway")), 1, Integer::sum);
        }
        return new Result(count, caught, Duration.ofNanos(sent - start), Duration.ofNanos(end - start), used, ownUsed,
                types, actions);
    }

    /** The latest arrival of {@code subjects} once the sink has all; fails when the sink stalls. */
    private long awaitAll(List<String> subjects) throws Exception {
        int seen = 0;
        long moved = System.nanoTime();
        while (true) {
            int now = (int) subjects.stream().filter(sink.arrivals::containsKey).count();
            if (now == subjects.size()) {
                return subjects.stream().mapToLong(sink.arrivals::get).max().orElseThrow();
            }
            if (now > seen) {
                seen = now;
                moved = System.nanoTime();
            } else if (System.nanoTime() - moved > STALL.toNanos()) {
                List<WiserMessage> caught = OrgJames.received(sink);
                throw new AssertionError(String.format(Locale.ROOT, "the sink has %d of %d mails and none came for %s;"
                        + " first caught header:%n%s%norganisation James log tail:%n%s", now, subjects.size(), STALL,
                        caught.isEmpty() ? "(none)" : header(caught.get(0).getData()), tail(org.log())));
            }
            Thread.sleep(50);
        }
    }

    /** A plain 7-bit text mail of {@link #SIZE} octets from {@link #from} to {@link #to}. */
    private String mail(String subject, String id) {
        StringBuilder s = new StringBuilder("From: " + from + "\r\nTo: " + to + "\r\nSubject: " + subject
                + "\r\nDate: Sun, 06 Dec 2026 12:00:00 +0000\r\nMessage-ID: <" + id + "." + System.nanoTime()
                + "@bench.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n");
        String line = "The quick brown fox jumps over the lazy dog, again and again and again.\r\n";
        while (s.length() + line.length() <= SIZE - 2) {
            s.append(line);
        }
        s.append("x".repeat(SIZE - 2 - s.length())).append("\r\n");
        return s.toString();
    }

    /** The header block of a raw mail, up to the first empty line. */
    static String header(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? text : text.substring(0, end + 2);
    }

    /** The top-level content type, lower case, with its smime-type parameter when it has one. */
    static String type(String header) {
        String value = OrgJames.headerValues(header, "Content-Type").stream().findFirst().orElse("text/plain");
        String type = value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        Matcher smime = SMIME_TYPE.matcher(value);
        return smime.find() ? type + "; smime-type=" + smime.group(1).toLowerCase(Locale.ROOT) : type;
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
