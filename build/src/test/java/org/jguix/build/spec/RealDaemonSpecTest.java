package org.jguix.build.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jguix.storepath.StoreDir;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The spec of the {@code env-report} derivation against what the real guix-daemon's
 * builder saw ({@code fixtures/build-env/mode-r.observed.txt}, mode R, build user 999):
 * every field of the spec that the report shows, compared without running anything.
 * (RealDaemonBuildEnvIT runs the spec and compares the whole report.)
 */
class RealDaemonSpecTest {
    static BuildSpec spec;
    static Map<String, List<String>> real;

    @BeforeAll
    static void load() throws IOException {
        BuildEnvFixture f = BuildEnvFixture.load();
        // In the harness's sid root, /dev comes from bwrap --dev: no /dev/kvm, /dev/pts/ptmx.
        HostFacts host = HostFacts.of(Map.of(), Set.of("/dev/pts/ptmx"), "x86_64", List.of());
        spec = BuildSpecs.compute(f.inputs(BuildEnvFixture.MODE_R_USER),
                BuildSettings.defaults(StoreDir.of("/gnu/store")), host);
        real = BuildEnvFixture.sections(BuildEnvFixture.observed("mode-r"));
    }

    /** bash's {@code declare -x} lines → name/value; {@code OLDPWD} and {@code SHLVL} are bash's own. */
    @Test
    void environmentIsTheRealOne() {
        TreeMap<String, String> seen = new TreeMap<>();
        for (String line : real.get("environment (declare -x)")) {
            String decl = line.substring("declare -x ".length());
            int eq = decl.indexOf('=');
            if (eq < 0) {
                continue; // OLDPWD: declared, no value
            }
            String v = decl.substring(eq + 2, decl.length() - 1).replaceAll("\\\\([\"\\\\$`])", "$1");
            seen.put(decl.substring(0, eq), v);
        }
        seen.remove("SHLVL");
        assertEquals(seen, new TreeMap<>(spec.env()));
    }

    @Test
    void etcFilesAreByteExact() {
        for (String f : List.of("/etc/passwd", "/etc/group", "/etc/hosts")) {
            String content = spec.chroot().entries().stream().filter(e -> e.path().equals(f))
                    .map(e -> ((ChrootEntry.File) e).content()).findFirst().orElseThrow();
            assertEquals(String.join("\n", real.get(f)).strip() + "\n", content, f);
        }
        assertEquals(List.of("(absent)"), real.get("/etc/resolv.conf"));
    }

    @Test
    void identityAndNames() {
        assertTrue(real.get("identity").contains("pwd: " + spec.cwd()));
        assertTrue(real.get("identity").contains("uid: 999 euid: 999 groups: 999"));
        assertEquals("uid=999(nixbld) gid=999(nixbld) groups=999(nixbld)", real.get("id").get(0));
        assertEquals("hostname: " + spec.hostname(), real.get("uname").get(1));
        assertEquals("domainname: " + spec.domainname(), real.get("uname").get(2));
    }

    /** Top-level names and /dev entries = what the chroot creates and mounts. */
    @Test
    void fileSystemNames() {
        assertEquals(names(real.get("lsl /")), topLevel());
        Set<String> dev = new TreeSet<>();
        spec.chroot().entries().stream().map(ChrootEntry::path).filter(p -> p.startsWith("/dev/")).forEach(dev::add);
        spec.chroot().mounts().keySet().stream().filter(p -> p.startsWith("/dev/")).forEach(dev::add);
        dev.add("/dev/ptmx"); // created by the devpts phase
        assertTrue(spec.chroot().mountDevpts());
        assertEquals(names(real.get("lsl /dev")), dev);
        assertEquals("drwxrwxr-t 0:999 4096 /gnu/store", real.get("lsl /gnu").get(0));
        assertEquals("drwx------ 999:999 4096 /tmp/guix-build-env-report.drv-0", real.get("lsl /tmp").get(0));
    }

    /** Mount points in mountinfo order: root, bind mounts in map order, proc, /dev/shm, /dev/pts. */
    @Test
    void mountOrderAndOptions() {
        List<String> points = new ArrayList<>();
        List<String> ro = new ArrayList<>();
        for (String line : real.get("/proc/self/mountinfo")) {
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(" ");
            points.add(f[4]);
            if (f[5].startsWith("ro")) {
                ro.add(f[4]);
            }
        }
        List<String> expected = new ArrayList<>(List.of("/"));
        expected.addAll(spec.chroot().mounts().keySet());
        expected.addAll(List.of("/proc", "/dev/shm", "/dev/pts"));
        assertEquals(expected, points);
        assertEquals(spec.chroot().mounts().values().stream().filter(BindMount::readOnly).map(BindMount::target).toList(), ro);
    }

    private Set<String> topLevel() {
        Set<String> s = new TreeSet<>();
        for (ChrootEntry e : spec.chroot().entries()) {
            s.add("/" + e.path().substring(1).split("/")[0]);
        }
        s.add("/proc");
        return s;
    }

    /** The file names of {@code lsl} lines ({@code MODE U:G SIZE NAME [-> TARGET]}). */
    private static Set<String> names(List<String> lines) {
        Set<String> s = new TreeSet<>();
        for (String l : lines) {
            if (l.isEmpty()) {
                continue;
            }
            String name = l.split(" ")[3];
            s.add(name.replace("'", ""));
        }
        return s;
    }
}
