package org.jguix.build.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.jguix.build.spec.BindMount;
import org.jguix.build.spec.BuildIdentity;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.ResourceLimit;

/**
 * Serialises a {@link BuildSpec} into the spec file of {@code jguix-sandbox}: records of
 * NUL-terminated strings, a keyword and its fixed number of arguments (the grammar is in
 * {@code build/src/main/c/jguix-sandbox.c}). Strings are bytes written as ISO-8859-1, as
 * everywhere in derivations; they contain no NUL ({@code Derivation} guarantees it).
 * A file rather than argv: a derivation's environment can exceed {@code ARG_MAX}.
 */
final class HelperSpecWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private HelperSpecWriter() {
    }

    static byte[] write(BuildSpec spec, String statusFile, String pidFile) {
        HelperSpecWriter w = new HelperSpecWriter();
        var chroot = spec.chroot();
        w.rec("root", chroot.rootDir());
        for (BindMount m : chroot.mounts().values()) {
            w.rec("bind", m.target(), m.source(), m.readOnly() ? "ro" : "rw");
        }
        if (chroot.mountProc()) {
            w.rec("proc");
        }
        if (chroot.mountDevshm()) {
            w.rec("devshm");
        }
        if (chroot.mountDevpts()) {
            w.rec("devpts");
        }
        if (spec.loopbackUp()) {
            w.rec("loopback");
        }
        w.rec("hostname", spec.hostname());
        w.rec("domainname", spec.domainname());
        switch (spec.identity()) {
            case BuildIdentity.UserNamespace ns -> {
                w.rec("uidmap", ns.uidMap());
                w.rec("gidmap", ns.gidMap());
                w.rec("lockmounts");
            }
            case BuildIdentity.BuildUser u -> w.rec("setids", Integer.toString(u.uid()), Integer.toString(u.gid()),
                    u.groups().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        w.rec("personality", Integer.toString(spec.personality()));
        w.rec("oom", Integer.toString(spec.oomScoreAdj()));
        for (ResourceLimit r : spec.rlimits()) {
            w.rec("rlimit", r.resource(), limit(r.soft()), limit(r.hard()));
        }
        w.rec("cwd", spec.cwd());
        w.rec("store", spec.storeDir().path());
        w.rec("program", spec.builder());
        for (String a : spec.argv()) {
            w.rec("arg", a);
        }
        for (var e : spec.env().entrySet()) {
            w.rec("env", e.getKey() + "=" + e.getValue());
        }
        spec.execError().ifPresent(m -> w.rec("enoexec-error", m));
        if (!spec.tryExec()) {
            w.rec("no-exec");
        }
        w.rec("status", statusFile);
        w.rec("pidfile", pidFile);
        return w.out.toByteArray();
    }

    private static String limit(long v) {
        return v == ResourceLimit.UNLIMITED ? "unlimited" : Long.toString(v);
    }

    private void rec(String... tokens) {
        for (String t : tokens) {
            if (t.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("NUL in sandbox spec string: " + tokens[0]);
            }
            out.writeBytes(t.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        }
    }
}
