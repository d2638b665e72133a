package org.jguix.build.sandbox;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The compat harness's Debian sid root and the checks that a sandbox test can run here. */
final class SidRoot {
    static final Path ROOT = Path.of(System.getenv().getOrDefault("JGUIX_SIDROOT", "/var/cache/jguix/sid-root"));
    static final Path IN_SID_ROOT = Path.of("..", "compat-tests", "scripts", "in-sid-root.sh").toAbsolutePath().normalize();
    static final Path BASH = ROOT.resolve("bin/bash-static");
    static final Path BUSYBOX = ROOT.resolve("bin/busybox");

    private SidRoot() {
    }

    /** Skips unless we are root (mode R needs setuid; mode N needs uid 0 mapped). */
    static void assumeRoot() throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        assumeTrue(uid == 0, "sandbox ITs need root (uid is " + uid + "): build users and id maps of mode R/N");
    }

    static void assumeSidRoot() {
        assumeTrue(Files.exists(ROOT.resolve(".jguix-root-ready")) && Files.isExecutable(IN_SID_ROOT),
                "no sid root at " + ROOT + " (compat-tests/scripts/make-sid-root.sh)");
    }

    static void assumeStaticTools() {
        assumeTrue(Files.isExecutable(BASH) && Files.isExecutable(BUSYBOX),
                "no static bash/busybox in " + ROOT + "/bin");
    }

    /** Helper-command prefix that runs it in the sid root with {@code scratch} as its store and /tmp. */
    static List<String> launcher(Path scratch, Path... binds) {
        List<String> cmd = new ArrayList<>(List.of(IN_SID_ROOT.toString(), "--scratch", scratch.toString()));
        for (Path b : binds) {
            cmd.add("--bind");
            cmd.add(b + ":" + b);
        }
        cmd.add("--");
        return cmd;
    }

    /** Applet names of the static busybox. */
    static List<String> applets() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(BUSYBOX.toString(), "--list").redirectErrorStream(true).start();
        List<String> names = new String(p.getInputStream().readAllBytes()).lines().toList();
        p.waitFor();
        return names;
    }
}
