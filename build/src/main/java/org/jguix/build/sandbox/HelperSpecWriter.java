package org.jguix.build.sandbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jguix.build.spec.BindMount;
import org.jguix.build.spec.BuildIdentity;
import org.jguix.build.spec.BuildSpec;
import org.jguix.build.spec.NetworkAccess;
import org.jguix.build.spec.PlainSpec;
import org.jguix.build.spec.ResourceLimit;

/**
 * Serialises a {@link BuildSpec} into the spec {@code jguix-sandbox} reads on its stdin: records of
 * NUL-terminated strings, a keyword and its fixed number of arguments (the grammar is in
 * {@code build/src/main/c/jguix-sandbox.c}). Strings are bytes written as ISO-8859-1, as
 * everywhere in derivations; they contain no NUL ({@code Derivation} guarantees it).
 * A pipe rather than argv: a derivation's environment can exceed {@code ARG_MAX}.
 * Chrooted builds ({@link BuildSpec}) and plain ones ({@link PlainSpec}) share the
 * process records (personality, OOM score, limits, cwd, program, argv, env).
 */
final class HelperSpecWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private HelperSpecWriter() {
    }

    static byte[] write(BuildSpec spec) {
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
        if (spec.network() instanceof NetworkAccess.Slirp slirp) {
            w.slirp(slirp);
        }
        w.rec("hostname", spec.hostname());
        w.rec("domainname", spec.domainname());
        switch (spec.identity()) {
            case BuildIdentity.UserNamespace ns -> {
                w.rec("uidmap", ns.uidMap());
                w.rec("gidmap", ns.gidMap());
                w.rec("lockmounts");
            }
            case BuildIdentity.BuildUser u -> w.buildUser(u);
        }
        w.process(spec.personality(), spec.oomScoreAdj(), spec.rlimits(), spec.cwd(), spec.storeDir().path());
        w.exec(spec.builder(), spec.argv(), spec.env());
        spec.execError().ifPresent(m -> w.rec("enoexec-error", m));
        if (!spec.tryExec()) {
            w.rec("no-exec");
        }
        return w.out.toByteArray();
    }

    /** A builder without namespaces or chroot (modes D and B). */
    static byte[] write(PlainSpec spec) {
        HelperSpecWriter w = new HelperSpecWriter();
        w.rec("plain");
        spec.user().ifPresent(w::buildUser);
        w.process(spec.personality(), spec.oomScoreAdj(), spec.rlimits(), spec.cwd(), spec.storeDir().path());
        w.exec(spec.program(), spec.argv(), spec.env());
        if (spec.builtin()) {
            w.rec("builtin");
        }
        spec.builtinError().ifPresent(m -> w.rec("builtin-error", m));
        spec.execError().ifPresent(m -> w.rec("enoexec-error", m));
        if (!spec.tryExec()) {
            w.rec("no-exec");
        }
        return w.out.toByteArray();
    }

    /**
     * The build user's ids, and {@code killUser} of it by the helper once the builder has exited (so that
     * a status line also means the user's processes are gone; see {@link SandboxResult#userKilled}).
     */
    private void buildUser(BuildIdentity.BuildUser u) {
        rec("setids", Integer.toString(u.uid()), Integer.toString(u.gid()),
                u.groups().stream().map(String::valueOf).collect(Collectors.joining(",")));
        rec("kill-user", Integer.toString(u.uid()));
    }

    private void process(int personality, int oom, List<ResourceLimit> rlimits, String cwd, String store) {
        rec("personality", Integer.toString(personality));
        rec("oom", Integer.toString(oom));
        for (ResourceLimit r : rlimits) {
            rec("rlimit", r.resource(), limit(r.soft()), limit(r.hard()));
        }
        rec("cwd", cwd);
        rec("store", store);
    }

    private void exec(String program, List<String> argv, Map<String, String> env) {
        rec("program", program);
        for (String a : argv) {
            rec("arg", a);
        }
        for (var e : env.entrySet()) {
            rec("env", e.getKey() + "=" + e.getValue());
        }
    }

    private void slirp(NetworkAccess.Slirp s) {
        rec("tap", s.ipv6() ? "1" : "0");
        if (s.routeLocalnet()) {
            rec("route-localnet");
        }
        rec("slirp", s.program());
        for (String a : s.argv()) {
            rec("slirp-arg", a);
        }
        rec("slirp-ids", Integer.toString(s.uid()), Integer.toString(s.gid()));
        rec("slirp-root", s.root());
        s.userNamespace().ifPresent(maps -> rec("slirp-userns", maps.get(0), maps.get(1)));
        if (s.seccomp()) {
            rec("slirp-seccomp");
        }
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
