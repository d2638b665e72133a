package org.jguix.daemon.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HangupWatchTest {
    @Test
    void endOfStreamDuringAWatchRunsTheCallbackAndEndsTheStream() throws Exception {
        PipedOutputStream client = new PipedOutputStream();
        HangupWatch in = new HangupWatch(new PipedInputStream(client));
        CountDownLatch hungUp = new CountDownLatch(1);
        in.watch(hungUp::countDown);
        assertFalse(hungUp.await(100, TimeUnit.MILLISECONDS), "no hang-up while the client is connected");
        client.close();
        assertTrue(hungUp.await(5, TimeUnit.SECONDS), "hang-up noticed");
        assertEquals(-1, in.read());
    }

    @Test
    void bytesArrivingDuringAWatchAreKeptInOrder() throws Exception {
        PipedOutputStream client = new PipedOutputStream();
        HangupWatch in = new HangupWatch(new PipedInputStream(client));
        CountDownLatch hungUp = new CountDownLatch(1);
        in.watch(hungUp::countDown);
        client.write(new byte[] {1, 2, 3});
        client.flush();
        byte[] got = new byte[3];
        int n = 0;
        while (n < 3) {
            n += in.read(got, n, 3 - n);
        }
        assertArrayEquals(new byte[] {1, 2, 3}, got);
        assertEquals(1, hungUp.getCount(), "data is no hang-up");
        in.watch(hungUp::countDown);
        client.write(4);
        assertEquals(4, in.read());
    }

    @Test
    void aFailedReadIsAHangupAndRethrown() throws Exception {
        // A connection reset: the read fails instead of returning end of stream.
        HangupWatch in = new HangupWatch(new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("Connection reset by peer");
            }
        });
        CountDownLatch hungUp = new CountDownLatch(1);
        in.watch(hungUp::countDown);
        assertTrue(hungUp.await(5, TimeUnit.SECONDS));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, in::read);
        assertEquals("Connection reset by peer", e.getMessage());
    }
}
