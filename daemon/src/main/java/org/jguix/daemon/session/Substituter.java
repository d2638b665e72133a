package org.jguix.daemon.session;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jguix.build.substitute.QueryAgent;
import org.jguix.build.substitute.SubstituteAgent;
import org.jguix.build.substitute.SubstituteInfo;

/**
 * One connection's substituter: guix-daemon's long-lived {@code guix substitute --query} agent
 * ({@code local-store.cc:querySubstitutablePaths}, {@code querySubstitutablePathInfos}) and the
 * {@code guix substitute --substitute} agents its builds start. Only consulted when the session's
 * {@code build-use-substitutes} is {@code true}; made on first use, closed with the connection.
 */
public interface Substituter extends AutoCloseable {
    /** The substitutable subset of {@code paths} ({@code have P1 P2 …}). */
    SortedSet<String> substitutable(Collection<String> paths) throws IOException;

    /** What is known about the substitutable ones among {@code paths} ({@code info P1 P2 …}). */
    SortedMap<String, SubstituteInfo> infos(Collection<String> paths) throws IOException;

    /** A new {@code guix substitute --substitute} with these extra environment variables. */
    SubstituteAgent startAgent(Map<String, String> environment) throws IOException;

    @Override
    void close();

    /** Makes a connection's substituter. */
    @FunctionalInterface
    interface Factory {
        /**
         * @param environment the agent's extra variables when it starts ({@code _NIX_OPTIONS})
         * @param output      where the query agent's messages go (the client)
         */
        Substituter open(QueryAgent.Environment environment, QueryAgent.Output output);
    }

    /** {@code $GUIX substitute} ({@code settings.guixProgram}), as guix-daemon runs it. */
    static Factory agents(String guixProgram, org.jguix.store.StoreLayout layout) {
        return (environment, output) -> new AgentSubstituter(
                new QueryAgent(guixProgram, environment, layout, output), guixProgram);
    }

    /** No substituter: nothing can be substituted (tests). */
    Factory NONE = (environment, output) -> new Substituter() {
        @Override
        public SortedSet<String> substitutable(Collection<String> paths) {
            return new TreeSet<>();
        }

        @Override
        public SortedMap<String, SubstituteInfo> infos(Collection<String> paths) {
            return new TreeMap<>();
        }

        @Override
        public SubstituteAgent startAgent(Map<String, String> env) throws IOException {
            throw new IOException("no substituter");
        }

        @Override
        public void close() {
        }
    };
}
