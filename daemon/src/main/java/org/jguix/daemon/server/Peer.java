package org.jguix.daemon.server;

/**
 * Who is on the other end of a connection.
 *
 * @param pid     the client's pid (Unix sockets, from SO_PEERCRED), or -1
 * @param uid     the client's uid, or -1 when unknown (TCP)
 * @param gid     the client's gid, or -1 when unknown
 * @param remote  true for TCP connections, which guix-daemon never trusts
 * @param address a printable address, for the log
 */
public record Peer(long pid, long uid, long gid, boolean remote, String address) {
    /** guix-daemon's rule ({@code acceptConnection}): root, or the daemon's own uid, over a Unix socket. */
    public boolean trustedBy(long daemonUid) {
        return !remote && (uid == 0 || uid == daemonUid);
    }
}
