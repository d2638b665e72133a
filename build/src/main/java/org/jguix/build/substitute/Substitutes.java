package org.jguix.build.substitute;

import java.io.IOException;
import java.util.Optional;

/**
 * Where a build request's substitution goals get substitutes from: the session's query agent for
 * what a path is ({@code worker.store.querySubstitutablePathInfos}) and new
 * {@code guix substitute --substitute} agents. {@link #NONE} when substitutes are off
 * ({@code --no-substitutes}, or the client's {@code use-substitutes?} false).
 */
public interface Substitutes {
    /** Whether substitutes are on ({@code settings.useSubstitutes}). */
    boolean enabled();

    /** What the query agent knows about {@code path}, if it can be substituted. */
    Optional<SubstituteInfo> info(String path) throws IOException;

    /** A new substitute agent, with the request's settings. */
    SubstituteAgent startAgent() throws IOException;

    /** Substitutes off: nothing is substitutable, no agent is ever started. */
    Substitutes NONE = new Substitutes() {
        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public Optional<SubstituteInfo> info(String path) {
            return Optional.empty();
        }

        @Override
        public SubstituteAgent startAgent() throws IOException {
            throw new IOException("substitutes are disabled");
        }
    };
}
