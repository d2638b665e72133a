package org.jguix.wire;

/**
 * Bounds a {@link WireReader} enforces before allocating anything. guix-daemon itself has none
 * beyond the 32-bit length field; these keep a hostile peer from making us allocate 4 GiB.
 *
 * @param maxStringLength longest byte string accepted (AddTextToStore contents are the largest
 *     strings real clients send: derivations and builder scripts)
 * @param maxListLength most elements accepted in a string list or pair list
 */
public record WireLimits(int maxStringLength, int maxListLength) {
  /** 64 MiB strings, 1 Mi list elements. */
  public static final WireLimits DEFAULTS = new WireLimits(64 << 20, 1 << 20);

  public WireLimits {
    if (maxStringLength < 0 || maxListLength < 0) {
      throw new IllegalArgumentException("limits must be ≥ 0");
    }
  }
}
