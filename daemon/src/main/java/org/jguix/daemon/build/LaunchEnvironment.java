package org.jguix.daemon.build;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jguix.build.spec.ResourceLimit;

/**
 * The environment {@code ./jguix-daemon} was started with. guix-daemon hands its own
 * environment to builtin builders and to the {@code impureEnvVars} of fixed-output builds;
 * the JVM's differs from what jguix-daemon was given (bash bumps {@code SHLVL} and sets
 * {@code _}, the launcher may set {@code LC_ALL}). So the launcher passes the original, read
 * from {@code /proc/$$/environ} before bash touched it, base64-encoded in
 * {@value #VARIABLE}; without it (started some other way) the JVM's environment is used.
 */
final class LaunchEnvironment {
    static final String VARIABLE = "JGUIX_DAEMON_ENVIRON";

    private LaunchEnvironment() {
    }

    static final String NOFILE = "JGUIX_DAEMON_NOFILE";

    /**
     * The open-files limit the daemon was started with ({@value #NOFILE}: {@code SOFT HARD}, from
     * bash's {@code ulimit}), for the builders: the JVM raised its own soft limit to the hard
     * one. Empty if not recorded or unreadable (builders then inherit the JVM's).
     */
    static List<ResourceLimit> builderLimits(Map<String, String> jvmEnv) {
        String v = jvmEnv.get(NOFILE);
        if (v == null) {
            return List.of();
        }
        String[] parts = v.trim().split(" +");
        try {
            if (parts.length == 2) {
                return List.of(new ResourceLimit("nofile", limit(parts[0]), limit(parts[1])));
            }
        } catch (IllegalArgumentException e) {
            // fall through: not a limit
        }
        return List.of();
    }

    private static long limit(String s) {
        return s.equals("unlimited") ? ResourceLimit.UNLIMITED : Long.parseLong(s);
    }

    /** The launch environment recorded in {@code jvmEnv}, or {@code jvmEnv} itself (without the record). */
    static Map<String, String> of(Map<String, String> jvmEnv) {
        String recorded = jvmEnv.get(VARIABLE);
        TreeMap<String, String> env = new TreeMap<>();
        if (recorded == null) {
            env.putAll(jvmEnv);
            return env;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(recorded);
        } catch (IllegalArgumentException e) {
            env.putAll(jvmEnv);
            env.remove(VARIABLE);
            return env;
        }
        // environ is NAME=VALUE entries, each ending in NUL; bytes, kept as ISO-8859-1 like derivation strings.
        String all = new String(raw, StandardCharsets.ISO_8859_1);
        for (String entry : all.split("\0")) {
            int eq = entry.indexOf('=');
            if (eq > 0) {
                env.putIfAbsent(entry.substring(0, eq), entry.substring(eq + 1));
            }
        }
        // A jguix-daemon started by another one's builder would record the outer records too.
        env.remove(VARIABLE);
        env.remove(NOFILE);
        return env;
    }
}
