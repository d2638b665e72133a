package org.jguix.daemon.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code systemd_activation_sockets}: only our pid and a well-formed count mean activation. */
class SocketActivationTest {
    @Test
    void activatedOnlyForOurPidAndAWholeCount() {
        assertEquals(2, SocketActivation.socketCount(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "2"), 42));
        assertEquals(0, SocketActivation.socketCount(Map.of("LISTEN_PID", "41", "LISTEN_FDS", "2"), 42));
        assertEquals(0, SocketActivation.socketCount(Map.of("LISTEN_FDS", "2"), 42));
        assertEquals(0, SocketActivation.socketCount(Map.of("LISTEN_PID", "42"), 42));
        for (String bad : new String[] {"", "-1", "2x", " 2", "+2", "99999999999"}) {
            assertEquals(0, SocketActivation.socketCount(Map.of("LISTEN_PID", "42", "LISTEN_FDS", bad), 42), bad);
        }
        assertEquals(0, SocketActivation.socketCount(Map.of("LISTEN_PID", "42", "LISTEN_FDS", "0"), 42));
    }

    @Test
    void messageIsGuixDaemonsVerbatim() {
        assertEquals("socket-activated with %1% socket", SocketActivation.message(1));
        assertEquals("socket-activated with %1% sockets", SocketActivation.message(3));
    }
}
