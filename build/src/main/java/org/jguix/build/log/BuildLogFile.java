package org.jguix.build.log;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;

/**
 * The log of one build, where {@code guix build --log-file} looks for it
 * ({@code DerivationGoal::openLogFile}, build-environment.md §13):
 * {@code <logDir>/drvs/<first two characters of the .drv base name>/<the rest><suffix>},
 * truncated, mode 0666 minus the umask; gzip at level 9 by default.
 *
 * <p>{@link #reportedName} is the path as guix-daemon formats it, with a doubled slash
 * ({@code drvs/xm//2m63…-hello.drv.gz}), which is what {@code @ build-started} carries.
 */
public final class BuildLogFile implements AutoCloseable {
    private static final int GZIP_BUFFER = 32 * 1024;
    private final String reportedName;
    private final OutputStream out;

    private BuildLogFile(String reportedName, OutputStream out) {
        this.reportedName = reportedName;
        this.out = out;
    }

    /** Creates (truncates) the log file of {@code drvPath} under {@code logDir}. */
    public static BuildLogFile create(Path logDir, String drvPath, LogCompression compression) throws IOException {
        String base = drvPath.substring(drvPath.lastIndexOf('/') + 1);
        String dir = logDir + "/drvs/" + base.substring(0, 2) + "/";
        Files.createDirectories(Path.of(dir));
        String name = dir + "/" + base.substring(2) + compression.suffix();
        OutputStream file;
        try {
            file = Files.newOutputStream(Path.of(name), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new IOException("creating log file `" + name + "': " + e.getMessage(), e);
        }
        try {
            OutputStream out = switch (compression) {
                case NONE -> new BufferedOutputStream(file);
                case GZIP -> new GZIPOutputStream(file, GZIP_BUFFER) {
                    {
                        def.setLevel(Deflater.BEST_COMPRESSION);
                    }
                };
                case BZIP2 -> new BZip2CompressorOutputStream(new BufferedOutputStream(file), 9);
            };
            return new BuildLogFile(name, out);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
    }

    public String reportedName() {
        return reportedName;
    }

    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
