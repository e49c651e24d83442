package dev.acmesmime.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's python3-dkim (dkimpy): the {@code dkimsign} command, and {@code dkimpy_tool.py} run
 * with {@code /usr/bin/python3} (the interpreter that has the module) for what dkimsign cannot
 * do: choose h=, add l=, and verify against our dnsmasq.
 */
public final class Dkimpy {

    private static final String PYTHON = "/usr/bin/python3";
    private static Path tool;

    private Dkimpy() {
    }

    /** The {@code dkimsign} command: dkimpy's default h= (present fields only), simple body. */
    public static byte[] dkimsign(byte[] message, String selector, String domain, Path key, String... options)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("dkimsign"));
        cmd.addAll(List.of(options));
        cmd.addAll(List.of(selector, domain, key.toString()));
        return signed(run(cmd, message));
    }

    /** dkimpy's {@code sign()} with our options: relaxed/relaxed unless given. */
    public static byte[] sign(byte[] message, String selector, String domain, Path key, String... options)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(PYTHON, tool().toString(), "sign", selector, domain, key.toString()));
        cmd.addAll(List.of(options));
        return signed(run(cmd, message));
    }

    /** The h= option naming {@code names}. */
    public static String[] headers(List<String> names) {
        return new String[] {"--headers", String.join(":", names)};
    }

    public record Verification(boolean ok, String d, String s, List<String> h, int keysize, String json) {
    }

    /** dkimpy's {@code verify()}, keys from the given DNS server. */
    public static Verification verify(byte[] message, String server) throws IOException, InterruptedException {
        return verify(message, server, 0);
    }

    /** dkimpy's {@code verify()} of the {@code index}-th DKIM-Signature field (0 the first). */
    public static Verification verify(byte[] message, String server, int index) throws IOException, InterruptedException {
        String json = new String(run(List.of(PYTHON, tool().toString(), "verify", server, "--index",
                Integer.toString(index)), message)).strip();
        Matcher ok = Pattern.compile("\"ok\": (true|false)").matcher(json);
        Matcher h = Pattern.compile("\"h\": \\[([^\\]]*)\\]").matcher(json);
        Matcher ks = Pattern.compile("\"keysize\": (\\d+)").matcher(json);
        if (!ok.find() || !h.find() || !ks.find()) {
            throw new IOException("unexpected dkimpy output: " + json);
        }
        List<String> names = new ArrayList<>();
        for (String n : h.group(1).split(",")) {
            if (!n.isBlank()) {
                names.add(n.strip().replace("\"", ""));
            }
        }
        return new Verification(Boolean.parseBoolean(ok.group(1)), field(json, "d"), field(json, "s"), names,
                Integer.parseInt(ks.group(1)), json);
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": \"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : null;
    }

    private static byte[] signed(byte[] out) throws IOException {
        if (!new String(out, 0, Math.min(out.length, 15)).equals("DKIM-Signature:")) {
            throw new IOException("dkimpy did not sign");
        }
        return out;
    }

    private static byte[] run(List<String> cmd, byte[] stdin) throws IOException, InterruptedException {
        Path err = Files.createTempFile("dkimpy", ".err");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        p.getOutputStream().write(stdin);
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || Files.size(err) > 0 && out.length == 0) {
            throw new IOException(cmd.get(0) + " failed: " + Files.readString(err));
        }
        String e = Files.readString(err);
        Files.deleteIfExists(err);
        if (!e.isBlank() && cmd.get(0).equals("dkimsign")) {
            throw new IOException("dkimsign: " + e.strip());
        }
        return out;
    }

    private static synchronized Path tool() throws IOException {
        if (tool == null) {
            Path t = Files.createTempFile("dkimpy_tool", ".py");
            try (InputStream in = Dkimpy.class.getResourceAsStream("dkimpy_tool.py")) {
                Files.copy(in, t, StandardCopyOption.REPLACE_EXISTING);
            }
            tool = t;
        }
        return tool;
    }
}
