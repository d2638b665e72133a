package org.jguix.daemon.session;

import java.io.IOException;
import java.util.Collection;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jguix.wire.Reply;

/**
 * Where substitutes come from: guix-daemon asks a long-lived {@code guix substitute --query} agent
 * ({@code local-store.cc:querySubstitutablePaths}, {@code querySubstitutablePathInfos}). Only
 * consulted when the session's {@code build-use-substitutes} is {@code true}.
 */
public interface Substituter {
    /** The substitutable subset of {@code paths} ({@code have P1 P2 …}). */
    SortedSet<String> substitutable(Collection<String> paths) throws IOException;

    /** What is known about the substitutable ones among {@code paths} ({@code info P1 P2 …}). */
    SortedMap<String, Reply.SubstituteInfo> infos(Collection<String> paths) throws IOException;

    /** No substituter: nothing can be substituted. What jguix answers until it runs {@code guix substitute}. */
    Substituter NONE = new Substituter() {
        @Override
        public SortedSet<String> substitutable(Collection<String> paths) {
            return new TreeSet<>();
        }

        @Override
        public SortedMap<String, Reply.SubstituteInfo> infos(Collection<String> paths) {
            return new TreeMap<>();
        }
    };
}
