package org.jguix.build.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The helper's control channel as {@code jguix-sandbox.c} writes it, and what is not. */
class ControlLinesTest {
    private static ControlLines of(String s) {
        return new ControlLines(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void pidThenStatus() throws IOException {
        ControlLines c = of("pid 42\nexit 3\n");
        assertEquals(42, c.builderPid());
        ControlLines.Rest rest = c.readToEnd();
        assertEquals(OptionalInt.empty(), rest.slirp());
        assertEquals(new SandboxResult.Exited(3), rest.status(0));
    }

    @Test
    void slirpAndSignal() throws IOException {
        ControlLines c = of("pid 7\nslirp 8\nsignal 9\n");
        assertEquals(7, c.builderPid());
        assertEquals(8, c.slirpPid());
        assertEquals(new SandboxResult.Signaled(9), c.readToEnd().status(0));
    }

    @Test
    void setUpFailureAfterSlirp() throws IOException {
        ControlLines.Rest rest = of("pid 7\nslirp 8\n").readToEnd();
        assertEquals(OptionalInt.of(8), rest.slirp());
        IOException e = assertThrows(IOException.class, () -> rest.status(1));
        assertEquals("sandbox helper exited with status 1 without reporting the builder's", e.getMessage());
    }

    @Test
    void malformedLinesAreErrors() {
        assertThrows(IOException.class, () -> of("").builderPid());
        assertThrows(IOException.class, () -> of("exit 0\n").builderPid());
        assertThrows(IOException.class, () -> of("pid x\n").builderPid());
        assertThrows(IOException.class, () -> of("pid 1\nwhat\n").readToEnd());
        assertThrows(IOException.class, () -> of("pid 1\nexit one\n").readToEnd().status(0));
        assertThrows(IOException.class, () -> of("pid " + "1".repeat(300) + "\n").builderPid());
    }
}
