package org.jguix.daemon.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Serves one client connection from start to end, on its own thread. */
@FunctionalInterface
public interface ConnectionHandler {
    /**
     * Serves the connection until the client leaves. The server closes the streams afterwards;
     * an exception ends only this connection and is logged.
     */
    void serve(Peer peer, InputStream in, OutputStream out) throws IOException;
}
