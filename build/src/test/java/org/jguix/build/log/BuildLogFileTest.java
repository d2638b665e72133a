package org.jguix.build.log;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

class BuildLogFileTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(LogCompression.class)
    void layoutAndContentAreGuixDaemons(LogCompression c) throws IOException {
        String drv = "/gnu/store/xm2m63sxc6ag6iqkcl2k5vqjdzfhs3yh-hello.drv";
        byte[] text = "hello from builder\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        String name;
        try (BuildLogFile log = BuildLogFile.create(dir, drv, c)) {
            log.write(text, 0, text.length);
            name = log.reportedName();
        }
        // The doubled slash is what @ build-started reports.
        assertEquals(dir + "/drvs/xm//2m63sxc6ag6iqkcl2k5vqjdzfhs3yh-hello.drv" + c.suffix(), name);
        Path file = dir.resolve("drvs/xm/2m63sxc6ag6iqkcl2k5vqjdzfhs3yh-hello.drv" + c.suffix());
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = switch (c) {
                    case NONE -> raw;
                    case GZIP -> new GZIPInputStream(raw);
                    case BZIP2 -> new BZip2CompressorInputStream(raw);
                }) {
            assertArrayEquals(text, in.readAllBytes());
        }
    }
}
