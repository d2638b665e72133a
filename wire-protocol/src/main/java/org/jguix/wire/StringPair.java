package org.jguix.wire;

import java.util.Objects;

/**
 * One element of a wire pair list: a SetOptions setting (name, value) or a FindRoots entry
 * (root link, store path).
 */
public record StringPair(String key, String value) {
  public StringPair {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
