package org.jguix.daemon.session;

import static org.jguix.daemon.session.OpHandler.direct;
import static org.jguix.daemon.session.OpHandler.storePathArg;
import static org.jguix.daemon.session.OpHandler.storePathsArg;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.jguix.build.substitute.SubstituteInfo;
import org.jguix.wire.Operation;
import org.jguix.wire.Reply;
import org.jguix.wire.Request;

/**
 * Operations about substitutes ({@code LocalStore::querySubstitutablePaths}, {@code
 * querySubstitutablePathInfos}, {@code wopSubstituteURLs}; EnsurePath is in {@link BuildOps}). With
 * {@code build-use-substitutes} false every query answers "none" without asking the
 * {@link Substituter}.
 */
final class SubstituteOps {
    private SubstituteOps() {
    }

    static void register(OpTable.Builder b) {
        b.put(Operation.HAS_SUBSTITUTES, storePathArg(Request.HasSubstitutes::path,
                (q, s) -> enabled(s) && s.substituter().substitutable(Set.of(q.path())).contains(q.path())));
        b.put(Operation.QUERY_SUBSTITUTABLE_PATHS, storePathsArg(Request.QuerySubstitutablePaths::paths,
                (q, s) -> enabled(s) && !q.paths().isEmpty()
                        ? List.copyOf(s.substituter().substitutable(q.paths())) : List.of()));
        // Obsolete op 21: the argument is made absolute, not checked.
        b.put(Operation.QUERY_SUBSTITUTABLE_PATH_INFO, direct((q, s) -> {
            String path = RootOps.absPath(q.path());
            if (!enabled(s)) {
                return Optional.<Reply.SubstituteInfo>empty();
            }
            return Optional.ofNullable(s.substituter().infos(List.of(path)).get(path)).map(SubstituteOps::wire);
        }));
        b.put(Operation.QUERY_SUBSTITUTABLE_PATH_INFOS, storePathsArg(Request.QuerySubstitutablePathInfos::paths,
                (q, s) -> {
                    List<Reply.SubstitutablePath> out = new ArrayList<>();
                    if (enabled(s) && !q.paths().isEmpty()) {
                        for (Map.Entry<String, SubstituteInfo> e : s.substituter().infos(q.paths()).entrySet()) {
                            out.add(new Reply.SubstitutablePath(e.getKey(), wire(e.getValue())));
                        }
                    }
                    return out;
                }));
        b.put(Operation.SUBSTITUTE_URLS, direct((q, s) -> substituteUrls(s.options())));
    }

    private static Reply.SubstituteInfo wire(SubstituteInfo i) {
        return new Reply.SubstituteInfo(i.deriver().orElse(""), List.copyOf(i.references()), i.downloadSize(),
                i.narSize());
    }

    private static boolean enabled(SessionState s) {
        return s.options().useSubstitutes();
    }

    /**
     * {@code wopSubstituteURLs}: if {@code build-use-substitutes} is {@code true}, what an untrusted
     * client asked for, else the daemon's (or a trusted client's) list, split on blanks.
     */
    static List<String> substituteUrls(SessionOptions o) {
        if (!o.settings().getString("build-use-substitutes", "false").equals("true")) {
            return List.of();
        }
        String urls = o.settings().getString("untrusted-substitute-urls", "");
        if (urls.isEmpty()) {
            urls = o.settings().getString("substitute-urls", "");
        }
        return Arrays.stream(urls.split("[ \t\n\r]+")).filter(u -> !u.isEmpty()).toList();
    }
}
