package org.jguix.daemon.config;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The daemon's settings as guix-daemon keeps them: a sorted map of string keys to string values
 * ({@code build-max-jobs}, {@code build-use-substitutes}, ...). Command-line options write it at
 * start-up; a trusted client's SetOptions overrides entries for its own session only, which is
 * why this is an immutable value and {@link #with} returns a copy (guix-daemon mutates a global,
 * relying on one forked process per client). Typed reads validate like {@code Settings::_get}.
 */
public final class Settings {
    /** guix-daemon's {@code main} defaults, on top of {@code Settings()}'s. */
    public static final Settings DEFAULTS = new Settings(new TreeMap<>(Map.of(
            "build-use-substitutes", "true",
            "substitute-urls", "https://bordeaux.guix.gnu.org https://ci.guix.gnu.org",
            "build-use-chroot", "true",
            "auto-optimise-store", "true",
            "build-cores", "0",
            "build-max-jobs", "1")));

    private final TreeMap<String, String> map;

    private Settings(TreeMap<String, String> map) {
        this.map = map;
    }

    public Settings with(String key, String value) {
        TreeMap<String, String> copy = new TreeMap<>(map);
        copy.put(key, value);
        return new Settings(copy);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(map.get(key));
    }

    public String getString(String key, String fallback) {
        return map.getOrDefault(key, fallback);
    }

    /** A boolean setting: exactly {@code true} or {@code false}, like {@code Settings::_get}. */
    public boolean getBool(String key, boolean fallback) throws SettingsException {
        String v = map.get(key);
        if (v == null) {
            return fallback;
        }
        return switch (v) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new SettingsException("configuration option `" + key + "' should be either `true' or `false', not `" + v + "'");
        };
    }

    /**
     * An integer setting, parsed like {@code util.hh:string2Int} (an {@code istream >> n} that must
     * consume everything: optional leading blanks, an optional sign, digits); anything else is refused
     * like {@code Settings::_get}.
     */
    public long getLong(String key, long fallback) throws SettingsException {
        String v = map.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.stripLeading());
        } catch (NumberFormatException e) {
            throw new SettingsException("configuration setting `" + key + "' should have an integer value");
        }
    }

    public Map<String, String> asMap() {
        return Collections.unmodifiableMap(map);
    }

    /** {@code Settings::update}'s typed reads, in its order (the first bad one is reported). */
    private static final String[][] TYPED = {
        {"bool", "build-fallback"}, {"int", "build-max-jobs"}, {"int", "build-cores"},
        {"bool", "multiplexed-build-output"}, {"int", "build-max-silent-time"}, {"int", "build-timeout"},
        {"int", "gc-reserved-space"}, {"bool", "fsync-metadata"}, {"bool", "use-sqlite-wal"},
        {"bool", "sync-before-registering"}, {"bool", "build-use-substitutes"}, {"bool", "build-use-chroot"},
        {"bool", "build-impersonate-linux-26"}, {"bool", "build-keep-log"}, {"int", "build-max-log-size"},
        {"bool", "build-cache-failure"}, {"int", "build-poll-interval"}, {"bool", "gc-check-reachability"},
        {"bool", "gc-keep-outputs"}, {"bool", "gc-keep-derivations"}, {"bool", "auto-optimise-store"},
        {"bool", "env-keep-derivations"},
    };

    /**
     * Checks every typed setting the way {@code Settings::update} does, at start-up and after each
     * SetOptions (where a failure ends the connection).
     */
    public void validate() throws SettingsException {
        for (String[] t : TYPED) {
            if (t[0].equals("int")) {
                getLong(t[1], 0);
            } else {
                getBool(t[1], false);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && s.map.equals(map);
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }

    @Override
    public String toString() {
        return map.toString();
    }
}
