package org.jguix.build.spec;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.jguix.build.spec.ChrootEntry.Directory;
import org.jguix.build.spec.ChrootEntry.File;
import org.jguix.build.spec.ChrootEntry.Symlink;
import org.jguix.storepath.ByteOrder;

/**
 * The chroot part of {@code startBuilder} (build-environment.md §6.1), step by step in
 * guix-daemon's order. Modes are what guix-daemon ends up with under its umask 022.
 */
final class ChrootPlanner {
    /** Device nodes bind-mounted from the host when {@code /dev} is not a chroot dir. */
    private static final List<String> DEV_NODES =
            List.of("/dev/full", "/dev/kvm", "/dev/null", "/dev/random", "/dev/tty", "/dev/urandom", "/dev/zero");

    private ChrootPlanner() {
    }

    static ChrootLayout plan(BuildInputs in, BuildSettings settings, HostFacts host, NetworkAccess network,
            String hostBuildTop, String buildDirInSandbox) {
        String store = settings.storeDir().path();
        String rootTop = in.drvPath().absolute() + ".chroot";
        int buildGid = in.identity() instanceof BuildIdentity.BuildUser u ? u.gid() : ChrootEntry.KEEP;
        List<ChrootEntry> entries = new ArrayList<>();
        TreeMap<String, String> files = new TreeMap<>(ByteOrder.COMPARATOR); // filesInChroot: inside → host
        Set<String> readOnly = new HashSet<>();

        entries.add(new Directory("/tmp", 01777, ChrootEntry.KEEP, ChrootEntry.KEEP));
        entries.add(new Directory("/etc", 0755, ChrootEntry.KEEP, ChrootEntry.KEEP));
        int uid = in.identity().uidInside();
        int gid = in.identity().gidInside();
        entries.add(new File("/etc/passwd", "nixbld:x:" + uid + ":" + gid + ":Nix build user:/:/noshell\n"
                + "nobody:x:65534:65534:Nobody:/:/noshell\n", 0644));
        entries.add(new File("/etc/group", "nixbld:!:" + gid + ":\n", 0644));
        if (in.fixedOutput()) {
            // Fixed-output builds may use the network: the host's name service files.
            List<String> hostFiles = new ArrayList<>(List.of("/etc/services", "/etc/nsswitch.conf"));
            if (network instanceof NetworkAccess.Slirp slirp) {
                if (slirp.routeLocalnet()) {
                    // The host loopback is reached through slirp4netns's gateway.
                    String hosts = host.network().hosts()
                            .map(h -> h.replace("127.0.0.1", "10.0.2.2").replace("::1", "fd00::2"))
                            .orElse("10.0.2.2 localhost\nfd00::2 localhost\n");
                    entries.add(new File("/etc/hosts", hosts, 0644));
                } else {
                    hostFiles.add("/etc/hosts");
                }
                entries.add(new File("/etc/resolv.conf", "nameserver 10.0.2.3", 0644));
            } else {
                hostFiles.add("/etc/hosts");
                hostFiles.add("/etc/resolv.conf");
            }
            for (String f : hostFiles) {
                if (host.exists(f)) {
                    files.put(f, f);
                    readOnly.add(f);
                }
            }
        } else {
            entries.add(new File("/etc/hosts", "127.0.0.1 localhost\n::1 localhost\n", 0644));
        }

        // build-chroot-dirs and build-extra-chroot-dirs (a set: sorted, deduplicated).
        for (String dir : new java.util.TreeSet<>(settings.chrootDirs())) {
            int eq = dir.indexOf('=');
            if (eq < 0) {
                files.put(dir, dir);
            } else {
                files.put(dir.substring(0, eq), dir.substring(eq + 1));
            }
        }
        files.put(buildDirInSandbox, hostBuildTop);

        // The fake store: createDirs gives 0755 parents, then chmod 01775 (+ chown 0:gid in R).
        String prefix = "";
        for (String component : store.substring(1).split("/")) {
            prefix += "/" + component;
            boolean last = prefix.equals(store);
            entries.add(new Directory(prefix, last ? 01775 : 0755, last && buildGid >= 0 ? 0 : ChrootEntry.KEEP,
                    last ? buildGid : ChrootEntry.KEEP));
        }
        for (String p : in.inputPaths()) {
            files.put(p, p);
            readOnly.add(p);
        }
        for (var out : in.drv().outputs().values()) {
            files.remove(out.path());
        }

        if (!files.containsKey("/dev")) {
            entries.add(new Directory("/dev", 0755, ChrootEntry.KEEP, ChrootEntry.KEEP));
            entries.add(new Directory("/dev/shm", 0755, ChrootEntry.KEEP, ChrootEntry.KEEP));
            entries.add(new Directory("/dev/pts", 0755, ChrootEntry.KEEP, ChrootEntry.KEEP));
            for (String node : DEV_NODES) {
                if (!node.equals("/dev/kvm") || host.exists("/dev/kvm")) {
                    files.put(node, node);
                }
            }
            entries.add(new Symlink("/dev/fd", "/proc/self/fd"));
            entries.add(new Symlink("/dev/stdin", "/proc/self/fd/0"));
            entries.add(new Symlink("/dev/stdout", "/proc/self/fd/1"));
            entries.add(new Symlink("/dev/stderr", "/proc/self/fd/2"));
        }
        boolean devpts = host.exists("/dev/pts/ptmx") && !files.containsKey("/dev/pts");

        TreeMap<String, BindMount> mounts = new TreeMap<>(ByteOrder.COMPARATOR);
        for (var e : files.entrySet()) {
            // Failsafe of startBuilder: a source in the store (plain prefix test) is read-only.
            boolean ro = readOnly.contains(e.getKey()) || e.getValue().startsWith(store);
            mounts.put(e.getKey(), new BindMount(e.getKey(), e.getValue(), ro));
        }
        return new ChrootLayout(rootTop, rootTop + "/top", buildGid, entries, mounts, true, true, devpts);
    }
}
