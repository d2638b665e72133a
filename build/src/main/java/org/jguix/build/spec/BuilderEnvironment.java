package org.jguix.build.spec;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import org.jguix.storepath.ByteOrder;

/**
 * The builder's environment, built from scratch ({@code startBuilder}, build-environment.md
 * §5) in guix-daemon's order, later assignments winning:
 * <ol>
 * <li>{@code PATH=/path-not-set}, {@code HOME=/homeless-shelter}, {@code NIX_STORE},
 *     {@code NIX_BUILD_CORES} — the derivation may override these;
 * <li>every {@code env} entry of the derivation, verbatim;
 * <li>{@code NIX_BUILD_TOP}, {@code TMPDIR}, {@code TEMPDIR}, {@code TMP}, {@code TEMP},
 *     {@code PWD} = the in-sandbox build directory — the derivation cannot override these;
 * <li>fixed-output builds only: each whitespace-separated name of the derivation's
 *     {@code impureEnvVars} with the daemon's value, {@code ""} if unset — these override
 *     everything, even {@code PWD}.
 * </ol>
 * Guix has no {@code passAsFile} (that is Nix's); {@code exportReferencesGraph} writes files
 * into the build directory and is the scheduler's (it needs the store), not the
 * environment's.
 */
public final class BuilderEnvironment {
    public static final String PATH_NOT_SET = "/path-not-set";
    public static final String HOMELESS_SHELTER = "/homeless-shelter";

    private BuilderEnvironment() {
    }

    public static SortedMap<String, String> of(BuildInputs in, BuildSettings settings, HostFacts host,
            String buildDirInSandbox) {
        TreeMap<String, String> env = new TreeMap<>(ByteOrder.COMPARATOR);
        env.put("PATH", PATH_NOT_SET);
        env.put("HOME", HOMELESS_SHELTER);
        env.put("NIX_STORE", settings.storeDir().path());
        env.put("NIX_BUILD_CORES", Integer.toString(settings.buildCores()));
        env.putAll(in.drv().env());
        for (String name : new String[] {"NIX_BUILD_TOP", "TMPDIR", "TEMPDIR", "TMP", "TEMP", "PWD"}) {
            env.put(name, buildDirInSandbox);
        }
        if (in.fixedOutput()) {
            // tokenizeString: separators " \t\n\r", empty tokens dropped.
            for (String name : in.drv().env().getOrDefault("impureEnvVars", "").split("[ \t\n\r]+")) {
                if (!name.isEmpty()) {
                    env.put(name, host.daemonEnv().getOrDefault(name, ""));
                }
            }
        }
        return Collections.unmodifiableSortedMap(env);
    }
}
