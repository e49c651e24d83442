package dev.acmesmime.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the enrolment benchmark reads of another process from outside, as an admin would: its CPU time
 * from {@code /proc/<pid>/stat} and a JVM's heap in use after a full GC from {@code jcmd}.
 */
final class ProcessStats {

    /** A generation's or region heap's "used NNNK" in {@code GC.heap_info}; Metaspace and class space are not heap. */
    private static final Pattern USED = Pattern.compile("(?m)^\\s*(?!Metaspace|class space)\\S.*?\\bused (\\d+)K");
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

    /** The JVM's heap in use, in bytes, right after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}). */
    static long heapAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Matcher used = USED.matcher(jcmd(pid, "GC.heap_info"));
        long kb = 0;
        while (used.find()) {
            kb += Long.parseLong(used.group(1));
        }
        return kb * 1024;
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
