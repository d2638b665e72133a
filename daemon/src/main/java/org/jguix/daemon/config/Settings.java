package org.jguix.daemon.config;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The daemon's settings as guix-daemon keeps them: a sorted map of string keys to string values
 * ({@code build-max-jobs}, {@code build-use-substitutes}, ...). Command-line options write it at
 * start-up; a trusted client's SetOptions overrides entries for its own session only, which is
 * why this is an immutable value and {@link #with} returns a copy (guix-daemon mutates a global,
 * relying on one forked process per client). Typed reads validate like {@code Settings::_get}.
 *
 * <p>Some entries stand for guix-daemon's struct fields rather than its map ({@code settings.useChroot}
 * and the like, set directly by {@code main}): they are kept here so that every reader finds them,
 * marked as fields so that {@link #pack} leaves them out as {@code Settings::pack} does — the
 * substituter's {@code _NIX_OPTIONS} holds only what was {@code settings.set}.
 */
public final class Settings {
    /**
     * guix-daemon's {@code main} defaults, on top of {@code Settings()}'s. {@code main} assigns
     * some of them to fields of {@code settings} rather than through {@code settings.set}, so
     * they are not in the map that {@link #pack} shows builtin builders.
     */
    public static final Settings DEFAULTS = new Settings(new TreeMap<>(Map.of(
            "build-use-substitutes", "true",
            "substitute-urls", "https://bordeaux.guix.gnu.org https://ci.guix.gnu.org",
            "build-use-chroot", "true",
            "auto-optimise-store", "true",
            "build-cores", "0",
            "build-max-jobs", "1")),
            new TreeSet<>(Set.of("build-use-chroot", "auto-optimise-store", "build-cores", "build-max-jobs")));

    private final TreeMap<String, String> map;
    /** Keys whose value guix-daemon holds in a field of {@code settings} only (not in its map). */
    private final TreeSet<String> fields;

    private Settings(TreeMap<String, String> map, TreeSet<String> fields) {
        this.map = map;
        this.fields = fields;
    }

    /** {@code settings.set(key, value)}: the value is in the map {@link #pack} shows. */
    public Settings with(String key, String value) {
        TreeMap<String, String> copy = new TreeMap<>(map);
        copy.put(key, value);
        TreeSet<String> f = new TreeSet<>(fields);
        f.remove(key);
        return new Settings(copy, f);
    }

    /**
     * An assignment to a field of guix-daemon's {@code settings} (e.g. {@code --disable-chroot}
     * sets {@code useChroot}): read back like {@link #with}, but not part of {@link #pack}
     * until a later {@code settings.set} of the same key.
     */
    public Settings withField(String key, String value) {
        Settings s = with(key, value);
        s.fields.add(key);
        return s;
    }

    /**
     * {@code Settings::pack}: {@code name=value\n} for each entry of guix-daemon's settings map,
     * in key order; what builtin builders get as {@code _NIX_OPTIONS}.
     *
     * @throws SettingsException a name with a newline or {@code =}, or a value with a newline
     */
    public String pack() throws SettingsException {
        StringBuilder sb = new StringBuilder();
        for (var e : map.entrySet()) {
            if (fields.contains(e.getKey())) {
                continue;
            }
            if (e.getKey().contains("\n") || e.getKey().contains("=") || e.getValue().contains("\n")) {
                throw new SettingsException("invalid option name/value");
            }
            sb.append(e.getKey()).append('=').append(e.getValue()).append('\n');
        }
        return sb.toString();
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
        return o instanceof Settings s && s.map.equals(map) && s.fields.equals(fields);
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
