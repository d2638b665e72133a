package org.jguix.wire;

/**
 * A worker-protocol version number as exchanged in the handshake: major in bits 8–15, minor in
 * bits 0–7 ({@code GET_PROTOCOL_MAJOR/MINOR} in {@code worker-protocol.hh}). Every version gate
 * in this module compares {@link #minor()} of the <em>client's</em> version, as the daemon does.
 *
 * @param raw the 32-bit value on the wire
 */
public record ProtocolVersion(int raw) {
  /** What guix-daemon 1.5.0 advertises ({@code PROTOCOL_VERSION}); jguix advertises the same. */
  public static final ProtocolVersion CURRENT = new ProtocolVersion(0x164);

  /** {@code GET_PROTOCOL_MAJOR}: {@code raw & 0xff00}. */
  public int major() {
    return raw & 0xff00;
  }

  /** {@code GET_PROTOCOL_MINOR}: {@code raw & 0xff}. */
  public int minor() {
    return raw & 0xff;
  }

  /** True when the minor version is at least {@code minor}. */
  public boolean atLeast(int minor) {
    return minor() >= minor;
  }

  @Override
  public String toString() {
    return "0x" + Integer.toHexString(raw);
  }
}
