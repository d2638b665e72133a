package org.jguix.nar.internal;

import java.util.ArrayList;
import java.util.List;
import org.jguix.nar.NarEvent;
import org.jguix.nar.NarFormatException;
import org.jguix.nar.NarName;

/**
 * The grammar of a NAR as a state machine over {@link NarEvent}s, for sinks that must not trust their
 * source (the writer, restore): exactly one root node, entries only inside directories and in strictly
 * increasing unsigned byte order (which also rules out duplicates), and exactly {@code size} content
 * bytes per regular file. The reader enforces the same grammar on bytes itself.
 */
public final class EventOrder {
    private enum State { NODE, DIRECTORY_BODY, CONTENTS, AFTER_ENTRY_NODE, DONE }

    private State state = State.NODE;
    /** Last entry name of each open directory, innermost last; null before the first entry. */
    private final List<NarName> lastNames = new ArrayList<>();
    private long remaining;

    /** Checks that {@code event} may come next and advances; {@code offset} is used in the error. */
    public void check(NarEvent event, long offset) throws NarFormatException {
        switch (state) {
            case NODE -> {
                switch (event) {
                    case NarEvent.DirectoryStart d -> {
                        lastNames.add(null);
                        state = State.DIRECTORY_BODY;
                    }
                    case NarEvent.RegularStart r -> {
                        remaining = r.size();
                        state = State.CONTENTS;
                    }
                    case NarEvent.Symlink s -> afterNode();
                    default -> throw outOfOrder(event, "a node", offset);
                }
            }
            case DIRECTORY_BODY -> {
                switch (event) {
                    case NarEvent.EntryStart e -> {
                        int top = lastNames.size() - 1;
                        NarName last = lastNames.get(top);
                        if (last != null && last.compareTo(e.name()) >= 0) {
                            throw new NarFormatException(last.equals(e.name())
                                    ? NarErrors.duplicate(e.name().toString())
                                    : NarErrors.unsorted(last.toString(), e.name().toString()), offset);
                        }
                        lastNames.set(top, e.name());
                        state = State.NODE;
                    }
                    case NarEvent.DirectoryEnd d -> {
                        lastNames.remove(lastNames.size() - 1);
                        afterNode();
                    }
                    default -> throw outOfOrder(event, "an entry or the end of the directory", offset);
                }
            }
            case CONTENTS -> {
                if (!(event instanceof NarEvent.RegularEnd)) {
                    throw outOfOrder(event, "file contents", offset);
                }
                if (remaining != 0) {
                    throw new NarFormatException("regular file contents: " + remaining + " bytes missing", offset);
                }
                afterNode();
            }
            case AFTER_ENTRY_NODE -> {
                if (!(event instanceof NarEvent.EntryEnd)) {
                    throw outOfOrder(event, "the end of the entry", offset);
                }
                state = State.DIRECTORY_BODY;
            }
            case DONE -> throw outOfOrder(event, "nothing: the archive is complete", offset);
        }
    }

    /** Checks that {@code len} content bytes may come next. */
    public void contents(int len, long offset) throws NarFormatException {
        if (state != State.CONTENTS || len > remaining) {
            throw new NarFormatException(state != State.CONTENTS
                    ? "content bytes outside a regular file"
                    : "regular file contents: more than the announced size", offset);
        }
        remaining -= len;
    }

    /** True once the root node is complete. */
    public boolean done() {
        return state == State.DONE;
    }

    /** Current directory nesting depth (0 at the root node). */
    public int depth() {
        return lastNames.size();
    }

    private void afterNode() {
        state = lastNames.isEmpty() ? State.DONE : State.AFTER_ENTRY_NODE;
    }

    private static NarFormatException outOfOrder(NarEvent event, String expecting, long offset) {
        return new NarFormatException(NarErrors.outOfOrder(event.toString(), expecting), offset);
    }
}
