package org.jguix.store.transfer;

/**
 * A signature problem: an import without the required signature, a signature whose hash is not
 * the archive's, or an error reply of the {@code guix authenticate} agent (unauthorised key,
 * invalid signature, unreadable key pair...), whose text is passed on verbatim as guix-daemon does
 * ({@code readAuthenticateReply}). {@link #agentCode()} is the agent's reply code (500, 404), or 0
 * when the daemon itself refused.
 */
public final class AuthenticationException extends TransferException {
    private static final long serialVersionUID = 1L;

    private final int agentCode;

    public AuthenticationException(String daemonText, int agentCode, long offset) {
        super(daemonText, offset, null);
        this.agentCode = agentCode;
    }

    public int agentCode() {
        return agentCode;
    }
}
