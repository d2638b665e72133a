package org.jguix.wire;

import java.util.Objects;

/**
 * The frames the daemon sends while an operation runs ({@code worker-protocol.hh}
 * {@code STDERR_*}): any number of NEXT/READ/WRITE, then exactly one LAST or ERROR. Encoded and
 * decoded by {@link StderrCodec}. The Nix activity frames do not exist in the Guix dialect.
 */
public sealed interface StderrFrame {
  /** {@code STDERR_NEXT}: a log message or a chunk of build output (arbitrary bytes). */
  record Next(ByteString text) implements StderrFrame {
    public Next { Objects.requireNonNull(text); }

    public static Next of(String text) {
      return new Next(ByteString.utf8(text));
    }
  }

  /** {@code STDERR_READ}: asks the client for up to {@code maxLength} bytes (ImportPaths). */
  record Read(int maxLength) implements StderrFrame {}

  /** {@code STDERR_WRITE}: data for the client's sink (ExportPath). */
  record Write(ByteString data) implements StderrFrame {
    public Write { Objects.requireNonNull(data); }
  }

  /** {@code STDERR_LAST}: the operation succeeded; its reply fields follow. */
  record Last() implements StderrFrame {}

  /**
   * {@code STDERR_ERROR}: the operation failed. {@code status} (1 generic, 100 build failed,
   * 101 timed out) is on the wire only for clients of minor ≥ 8; decoding at a lower minor
   * gives 1, as the Guix client assumes.
   */
  record Error(String message, int status) implements StderrFrame {
    public Error { Objects.requireNonNull(message); }
  }
}
