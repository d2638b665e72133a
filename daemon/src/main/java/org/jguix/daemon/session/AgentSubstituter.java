package org.jguix.daemon.session;

import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import org.jguix.build.substitute.QueryAgent;
import org.jguix.build.substitute.SubstituteAgent;
import org.jguix.build.substitute.SubstituteInfo;

/** The real {@link Substituter}: Guix's own {@code guix substitute}. */
final class AgentSubstituter implements Substituter {
    private final QueryAgent query;
    private final String program;

    AgentSubstituter(QueryAgent query, String program) {
        this.query = query;
        this.program = program;
    }

    @Override
    public SortedSet<String> substitutable(Collection<String> paths) throws IOException {
        return query.have(paths);
    }

    @Override
    public SortedMap<String, SubstituteInfo> infos(Collection<String> paths) throws IOException {
        return query.info(paths);
    }

    @Override
    public SubstituteAgent startAgent(Map<String, String> environment) throws IOException {
        return SubstituteAgent.start(program, environment);
    }

    @Override
    public void close() {
        query.close();
    }
}
