package org.jguix.build.log;

/** {@code --log-compression}: how build logs are stored, and the suffix of their file. */
public enum LogCompression {
    NONE(""), GZIP(".gz"), BZIP2(".bz2");

    private final String suffix;

    LogCompression(String suffix) {
        this.suffix = suffix;
    }

    public String suffix() {
        return suffix;
    }
}
