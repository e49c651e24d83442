package dev.acmesmime.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses {@code positional... --option value --flag} command lines against a fixed set of
 * known options, so a typo is a usage error (exit 2) instead of a silently ignored option.
 */
final class CliArgs {
    private final List<String> positional = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();

    private CliArgs() {
    }

    static CliArgs parse(List<String> args, Set<String> valued, Set<String> flags) {
        CliArgs parsed = new CliArgs();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.startsWith("--")) {
                String name = a;
                String value = null;
                int eq = a.indexOf('=');
                if (eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                }
                if (flags.contains(name)) {
                    if (value != null) {
                        throw new UsageException(name + " takes no value");
                    }
                    parsed.options.put(name, "true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= args.size()) {
                            throw new UsageException(name + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    if (parsed.options.put(name, value) != null) {
                        throw new UsageException(name + " given twice");
                    }
                } else {
                    throw new UsageException("unknown option " + name);
                }
            } else {
                parsed.positional.add(a);
            }
        }
        return parsed;
    }

    List<String> positional() {
        return positional;
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    String required(String name) {
        return option(name).orElseThrow(() -> new UsageException(name + " is required"));
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** Exit code 2: the command line itself is wrong. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
