package org.jguix.nar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/**
 * A restored file that does not fit fails with guix-daemon's {@code RestoreSink::preallocateContents}
 * text (checked against guix-daemon 1.5.0 by the disk-full-import scenario: "preallocating file of
 * 25165824 bytes: No space left on device"); other write errors pass unchanged.
 */
class NoSpaceExceptionTest {
    @Test
    void lackOfSpaceIsReportedAsThePreallocation() {
        IOException write = new IOException("No space left on device");
        IOException e = NoSpaceException.of(write, 25165824);
        assertInstanceOf(NoSpaceException.class, e);
        assertEquals("preallocating file of 25165824 bytes: No space left on device", e.getMessage());
        assertSame(write, e.getCause());
        assertEquals("preallocating file of 7 bytes: Disk quota exceeded",
                NoSpaceException.of(new FileSystemException("/x", null, "Disk quota exceeded"), 7).getMessage());
        assertEquals("preallocating file of 9 bytes: File too large",
                NoSpaceException.of(new IOException("File too large"), 9).getMessage());
    }

    @Test
    void otherErrorsPassUnchanged() {
        IOException io = new IOException("Input/output error");
        assertSame(io, NoSpaceException.of(io, 1));
        IOException none = new IOException();
        assertSame(none, NoSpaceException.of(none, 1));
    }
}
