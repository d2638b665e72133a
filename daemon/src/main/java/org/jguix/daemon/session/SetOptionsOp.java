package org.jguix.daemon.session;

import java.io.IOException;
import java.util.OptionalLong;
import java.util.Set;
import org.jguix.daemon.config.Settings;
import org.jguix.daemon.config.SettingsException;
import org.jguix.store.StoreException;
import org.jguix.wire.Reply;
import org.jguix.wire.Request.SetOptions;
import org.jguix.wire.StringPair;

/**
 * SetOptions ({@code performOp} case wopSetOptions): computes the session's next
 * {@link SessionOptions} from the current ones, field by field as guix-daemon assigns its globals,
 * and validates the typed settings like {@code Settings::update}. All of that happens before
 * {@code startWork}, so a bad value (e.g. {@code build-max-jobs=abc}) ends the connection.
 */
final class SetOptionsOp implements OpHandler<SetOptions, Reply.None> {
    /** Stored under their own name for every client, trusted or not. */
    private static final Set<String> ALWAYS_STORED = Set.of("build-timeout", "build-max-silent-time",
            "build-max-jobs", "build-cores", "build-repeat", "multiplexed-build-output");

    @Override
    public Work<Reply.None> prepare(SetOptions q, SessionState s) throws IOException {
        SessionOptions next = apply(s.options(), q, s);
        return () -> {
            s.setOptions(next);
            return Reply.None.INSTANCE;
        };
    }

    static SessionOptions apply(SessionOptions o, SetOptions q, SessionState s) throws IOException {
        boolean remote = s.peer().remote();
        Settings st = o.settings().with("build-fallback", q.fallback() ? "true" : "false");
        if (q.maxBuildJobs().isPresent()) {
            st = st.with("build-max-jobs", Integer.toUnsignedString(q.maxBuildJobs().getAsInt()));
        }
        if (q.maxSilentTime().isPresent()) {
            st = st.with("build-max-silent-time", Integer.toUnsignedString(q.maxSilentTime().getAsInt()));
        }
        if (q.buildCores().isPresent()) {
            st = st.with("build-cores", Integer.toUnsignedString(q.buildCores().getAsInt()));
        }
        // A client can turn substitutes off, never on.
        if (q.useSubstitutes().isPresent() && o.useSubstitutes()) {
            st = st.with("build-use-substitutes", q.useSubstitutes().get() ? "true" : "false");
        }
        for (StringPair p : q.settings()) {
            String name = p.key();
            if (ALWAYS_STORED.contains(name)) {
                st = st.with(name, p.value());
            } else if (name.equals("user-name") && s.peer().uid() == -1) {
                createUser(p.value(), s);
            } else {
                st = st.with(s.trusted() ? name : "untrusted-" + name, p.value());
            }
        }
        try {
            st.validate();
        } catch (SettingsException e) {
            throw new StoreException(e.getMessage(), e);
        }
        return new SessionOptions(st, q.verbosity(), q.buildVerbosity().orElse(o.buildVerbosity()),
                q.logType().orElse(o.logType()), q.printBuildTrace().orElse(o.printBuildTrace()),
                q.keepFailed() && !remote, q.keepGoing(), q.useBuildHook().orElse(o.useBuildHook()));
    }

    /** A TCP client has no uid: its {@code user-name} names the profile directory to create. */
    private static void createUser(String name, SessionState s) throws IOException {
        OptionalLong uid = s.users().uidOf(name);
        if (uid.isPresent()) {
            UserProfiles.create(s.store().layout(), name, uid.getAsLong(), s);
        } else {
            s.log(Verbosity.INFO, "user name " + name + " not found");
        }
    }
}
