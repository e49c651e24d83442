package dev.acmesmime.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads, from the Java sources as files, what an admin can set: the parameters each mailet and matcher
 * reads, the keys of {@code acme-smime.properties}, and the WebAdmin routes. Text scanning, not
 * reflection, because the mailet and matcher classes are not on core's test classpath; the patterns
 * follow the project's one way of reading each (constants passed to {@code getInitParameter} or to the
 * shared readers {@code MailetParameters} and {@code SpooledRetry}, {@code service.get(PATH, …)}).
 */
final class SourceScan {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    static final Path MAILETS = ROOT.resolve("mailet/src/main/java/dev/acmesmime/james/mailets");
    /** The S/MIME gateway's mailets (issue 16), a package of their own. */
    static final Path GATEWAY_MAILETS = ROOT.resolve("mailet/src/main/java/dev/acmesmime/james/gateway");
    static final Path MATCHERS = ROOT.resolve("matcher/src/main/java/dev/acmesmime/james/matchers");
    static final Path ROUTES = ROOT.resolve("mailet/src/main/java/dev/acmesmime/james/webadmin");

    /** Helper classes whose static methods read parameters on a mailet's behalf. */
    private static final Set<String> HELPERS = Set.of("MailetParameters", "SpooledRetry");
    private static final Pattern CONSTANT = Pattern.compile(
            "static final String (\\w+) = (?:\"([^\"]*)\"|(?:(\\w+)\\.)?([A-Z][A-Z0-9_]*));");
    /** A parameter read directly, by a constant. */
    private static final Pattern DIRECT = Pattern.compile(
            "(?:getInitParameter(?:AsOptional)?\\(|MailetParameters\\.(?:mandatory|intParameter|choice)\\((?:this|mailet),)"
                    + "\\s*([A-Z][A-Z0-9_]*)");
    /** A parameter read by its literal name. */
    private static final Pattern LITERAL = Pattern.compile("getInitParameter(?:AsOptional)?\\(\\s*\"([^\"]+)\"");
    /** James's allow-list of a mailet's parameters, given inline or as a constant. */
    private static final Pattern ALLOWED = Pattern.compile("checkInitParameters\\((?:Set\\.of\\(([^)]*)\\)|(\\w+))\\)");
    private static final Pattern CALL = Pattern.compile("(?:\\b(MailetParameters|SpooledRetry)\\.)?\\b([a-z]\\w*)\\(");
    private static final Pattern STATIC_METHOD = Pattern.compile("(?m)^    static [\\w<>, ]+? (\\w+)\\(");
    private static final Pattern SETTING = Pattern.compile(
            "static final String \\w+ = \"((?:store|forward|response|enrolment|webadmin|gateway)\\.[A-Za-z0-9.]*[A-Za-z0-9])\";");
    private static final Pattern ROUTE = Pattern.compile("service\\.(get|put|post|delete|patch)\\(\\s*([^,]+),");

    private SourceScan() {
    }

    /** Per mailet class (simple name), the parameters its {@code init()} reads, directly or through the helpers. */
    static Map<String, Set<String>> mailetParameters() {
        Map<String, String> constants = constants(MAILETS);
        constants.putAll(constants(GATEWAY_MAILETS));
        Map<String, Map<String, String>> helperMethods = new HashMap<>();
        for (String helper : HELPERS) {
            helperMethods.put(helper, staticMethods(read(MAILETS.resolve(helper + ".java"))));
        }
        Map<String, Set<String>> result = new TreeMap<>();
        Set<Path> files = javaFiles(MAILETS);
        files.addAll(javaFiles(GATEWAY_MAILETS));
        for (Path file : files) {
            String source = read(file);
            if (source.contains(" extends GenericMailet")) {
                String cls = simpleName(file);
                Set<String> names = parameters(source, cls, helperMethods, constants, 0);
                names.addAll(allowed(source, cls, constants));
                result.put(cls, names);
            }
        }
        return result;
    }

    /** The parameters {@code body}, code of class {@code cls}, reads, following calls of the helpers' methods. */
    private static Set<String> parameters(String body, String cls, Map<String, Map<String, String>> helpers,
                                          Map<String, String> constants, int depth) {
        Set<String> names = new TreeSet<>();
        Matcher direct = DIRECT.matcher(body);
        while (direct.find()) {
            String value = constants.get(cls + "." + direct.group(1));
            if (value == null) {
                throw new IllegalStateException("parameter constant " + direct.group(1) + " of " + cls + " not found");
            }
            names.add(value);
        }
        Matcher literal = LITERAL.matcher(body);
        while (literal.find()) {
            names.add(literal.group(1));
        }
        Matcher call = CALL.matcher(body);
        while (call.find() && depth < 5) {
            String helper = call.group(1) != null ? call.group(1) : cls;
            String method = helpers.getOrDefault(helper, Map.of()).get(call.group(2));
            if (method != null) {
                names.addAll(parameters(method, helper, helpers, constants, depth + 1));
            }
        }
        return names;
    }

    /** The names in the mailet's {@code checkInitParameters} allow-list: those James lets an admin set. */
    private static Set<String> allowed(String source, String cls, Map<String, String> constants) {
        Set<String> names = new TreeSet<>();
        Matcher m = ALLOWED.matcher(source);
        while (m.find()) {
            String list = m.group(1);
            if (list == null) {
                Matcher field = Pattern.compile(m.group(2) + " = Set\\.of\\(([^)]*)\\)").matcher(source);
                list = field.find() ? field.group(1) : "";
            }
            for (String name : list.split(",")) {
                if (name.isBlank()) {
                    continue; // Set.of(): no parameter at all
                }
                String value = constants.get(cls + "." + name.trim());
                if (value == null) {
                    throw new IllegalStateException("allowed parameter " + name.trim() + " of " + cls + " not found");
                }
                names.add(value);
            }
        }
        return names;
    }

    /** The bodies of a class's static methods, each from its header to the next one. */
    private static Map<String, String> staticMethods(String source) {
        Map<String, String> methods = new LinkedHashMap<>();
        Matcher m = STATIC_METHOD.matcher(source);
        String name = null;
        int start = 0;
        while (m.find()) {
            if (name != null) {
                methods.put(name, source.substring(start, m.start()));
            }
            name = m.group(1);
            start = m.end();
        }
        if (name != null) {
            methods.put(name, source.substring(start));
        }
        return methods;
    }

    /** The simple names of the classes that extend {@code GenericMatcher}. */
    static Set<String> matchers() {
        Set<String> names = new TreeSet<>();
        for (Path file : javaFiles(MATCHERS)) {
            if (read(file).contains(" extends GenericMatcher")) {
                names.add(simpleName(file));
            }
        }
        return names;
    }

    /** Every {@code acme-smime.properties} key named by a constant in core's or the mailet module's main code. */
    static Set<String> settingKeys() {
        Set<String> keys = new TreeSet<>();
        for (String module : new String[] {"core/src/main/java", "mailet/src/main/java"}) {
            for (Path file : javaFiles(ROOT.resolve(module))) {
                Matcher m = SETTING.matcher(read(file));
                while (m.find()) {
                    keys.add(m.group(1));
                }
            }
        }
        return keys;
    }

    /** A CA profile's settings, as {@code enrolment.profile.<name>.X}: the constants after {@code PREFIX} in CaProfiles. */
    static Set<String> profileKeys() {
        String source = read(ROOT.resolve("core/src/main/java/dev/acmesmime/acme/CaProfiles.java"));
        Set<String> keys = new TreeSet<>();
        Matcher m = Pattern.compile("public static final String (\\w+) = \"([a-zA-Z.]+)\";").matcher(source);
        while (m.find()) {
            if (!m.group(1).equals("PREFIX")) {
                keys.add("enrolment.profile.<name>." + m.group(2));
            }
        }
        return keys;
    }

    /** Every route of the WebAdmin route classes, as {@code METHOD /path/{param}}. */
    static Set<String> routes() {
        Map<String, String> constants = new HashMap<>();
        Map<Path, String> sources = new TreeMap<>();
        for (Path file : javaFiles(ROUTES)) {
            String source = read(file);
            sources.put(file, source);
            Matcher m = Pattern.compile("static final String (\\w+) = ([^;]+);").matcher(source);
            while (m.find()) {
                constants.put(simpleName(file) + "." + m.group(1), m.group(2));
            }
        }
        Set<String> routes = new TreeSet<>();
        sources.forEach((file, source) -> {
            Matcher m = ROUTE.matcher(source);
            while (m.find()) {
                String path = evaluate(m.group(2), simpleName(file), constants, 0);
                routes.add(m.group(1).toUpperCase() + " " + path.replaceAll(":(\\w+)", "{$1}"));
            }
        });
        return routes;
    }

    /** A string expression of literals and constants joined by {@code +}. */
    private static String evaluate(String expression, String inClass, Map<String, String> constants, int depth) {
        StringBuilder out = new StringBuilder();
        for (String part : expression.split("\\+")) {
            String p = part.trim();
            if (p.startsWith("\"")) {
                out.append(p, 1, p.length() - 1);
                continue;
            }
            String key = p.contains(".") ? p : inClass + "." + p;
            String value = constants.get(key);
            if (value == null || depth > 5) {
                throw new IllegalStateException("route path " + p + " in " + inClass + " not resolved");
            }
            out.append(evaluate(value, key.substring(0, key.indexOf('.')), constants, depth + 1));
        }
        return out.toString();
    }

    /**
     * {@code Class.NAME → "value"} of a package's string constants; an alias {@code = Other.NAME} (or
     * {@code = NAME}) is followed.
     */
    private static Map<String, String> constants(Path dir) {
        Map<String, String> literal = new HashMap<>();
        Map<String, String> alias = new HashMap<>();
        for (Path file : javaFiles(dir)) {
            String cls = simpleName(file);
            Matcher m = CONSTANT.matcher(read(file));
            while (m.find()) {
                if (m.group(2) != null) {
                    literal.put(cls + "." + m.group(1), m.group(2));
                } else {
                    alias.put(cls + "." + m.group(1), (m.group(3) != null ? m.group(3) : cls) + "." + m.group(4));
                }
            }
        }
        alias.forEach((name, target) -> {
            if (literal.containsKey(target)) {
                literal.put(name, literal.get(target));
            }
        });
        return literal;
    }

    private static Set<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java")).collect(TreeSet::new, Set::add, Set::addAll);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String simpleName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - ".java".length());
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
