package dev.acmesmime.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Everything the demo started, and how to stop it: processes it launched (the test CA, dnsmasq) and the
 * two James, which {@code bin/james start} runs in the background. They stop in the reverse order of
 * their start, on success, on failure and on Ctrl-C (a shutdown hook), each one's child processes too.
 * With {@code --keep} nothing stops; the same stop commands go into a {@code stop} script instead.
 */
final class DemoProcesses implements AutoCloseable {

    /** One started part: its name, the shell command that stops it, and what the demo runs to stop it. */
    private record Part(String name, String stopCommand, Stop stop) {
    }

    @FunctionalInterface
    interface Stop {
        void run() throws Exception;
    }

    private final Deque<Part> started = new ArrayDeque<>();
    private volatile boolean interrupted;
    private final Thread hook = new Thread(this::onInterrupt, "demo-cleanup");

    DemoProcesses() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Starts {@code command}, its output (stdout and stderr) into {@code output}; stopped on close. */
    synchronized Process launch(String name, List<String> command, Path output) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        started.push(new Part(name, "kill " + p.pid(), () -> destroy(p)));
        return p;
    }

    /** A part started some other way (a James): {@code stop} ends it, {@code stopCommand} does it from a shell. */
    synchronized void onClose(String name, String stopCommand, Stop stop) {
        started.push(new Part(name, stopCommand, stop));
    }

    /** The shutdown hook: Ctrl-C (or a kill) before the demo ended; says so, then stops everything. */
    private void onInterrupt() {
        interrupted = true;
        synchronized (this) {
            if (!started.isEmpty()) {
                System.err.println("demo: interrupted; stopping everything it started");
            }
        }
        close();
    }

    /** Whether Ctrl-C (or a kill) is ending the demo: what fails meanwhile is its consequence, not news. */
    boolean interrupted() {
        return interrupted;
    }

    /** Stops every part, the last started first; a part that fails to stop does not keep the others running. */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            Part part = started.pop();
            try {
                part.stop().run();
            } catch (Exception e) {
                System.err.println("demo: stopping " + part.name() + " failed: " + e.getMessage()
                        + "; stop it with: " + part.stopCommand());
            }
        }
    }

    /**
     * For {@code --keep}: writes the stop commands into an executable script, forgets the parts (nothing
     * stops when the demo ends) and returns the script.
     */
    synchronized Path keep(Path script) throws IOException {
        List<String> lines = new ArrayList<>(List.of("#!/usr/bin/env bash", "# stops what james-deploy/bin/demo --keep started"));
        started.forEach(p -> lines.add(p.stopCommand() + " || true   # " + p.name()));
        Files.write(script, lines);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        started.clear();
        Runtime.getRuntime().removeShutdownHook(hook);
        return script;
    }

    private static void destroy(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
