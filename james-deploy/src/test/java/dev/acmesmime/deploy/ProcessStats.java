package dev.acmesmime.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What the enrolment benchmark reads of another process from outside, as an admin would: its CPU time
 * from {@code /proc/<pid>/stat} and a JVM's heap in use after a full GC from {@code jcmd}.
 */
final class ProcessStats {

    /** The last line of {@code GC.class_histogram}: "Total  instances  bytes". */
    private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
    private static final long TICKS_PER_SECOND = ticksPerSecond();

    private ProcessStats() {
    }

    /** User plus system CPU time the process used so far (utime + stime, fields 14 and 15). */
    static Duration cpu(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        // the command name (field 2) may hold spaces and parentheses: count fields after the last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        return Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND);
    }

    /**
     * The JVM's heap in use, in bytes, right after a full GC: the live objects {@code jcmd GC.class_histogram}
     * counts (its {@code Total}), which it takes in the same safepoint as the full GC. {@code GC.run} followed by
     * {@code GC.heap_info} also counted what a busy James allocated in between (up to its whole young generation,
     * +148 MB once at the end of an enrolment run, where a heap dump taken at the same moment held 93 MB).
     */
    static long heapAfterGc(long pid) throws IOException, InterruptedException {
        Matcher total = HISTOGRAM_TOTAL.matcher(jcmd(pid, "GC.class_histogram"));
        if (!total.find()) {
            throw new IOException("jcmd " + pid + " GC.class_histogram: no Total line");
        }
        return Long.parseLong(total.group(1));
    }

    /** The {@code lines} largest classes of {@code jcmd GC.class_histogram} (after a full GC), with its header. */
    static String largestClasses(long pid, int lines) throws IOException, InterruptedException {
        return jcmd(pid, "GC.class_histogram").lines().skip(1).limit(lines + 2L)
                .collect(Collectors.joining("\n"));
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("jcmd " + pid + " " + command + ": " + out);
        }
        return out;
    }

    private static long ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            return p.waitFor() == 0 ? Long.parseLong(out) : 100;
        } catch (IOException | NumberFormatException e) {
            return 100; // USER_HZ on every Linux this runs on
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
