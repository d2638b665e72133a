package org.jguix.wire;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * What the client sends after the daemon's greeting.
 *
 * @param version the client's protocol version; its minor gates everything the daemon reads
 * @param cpuAffinity the CPU to pin the worker to, if the client asked (minor ≥ 14: a flag
 *     {@code int}, then the CPU if the flag is non-zero)
 * @param reserveSpace minor ≥ 11: {@code int != 0}; {@code true} when not sent
 */
public record ClientHello(ProtocolVersion version, OptionalInt cpuAffinity, boolean reserveSpace) {
  public ClientHello {
    Objects.requireNonNull(version);
    Objects.requireNonNull(cpuAffinity);
  }

  /** What the Guix 1.5.0 client sends by default: 0x164, no affinity, reserve space. */
  public static final ClientHello GUIX_DEFAULT =
      new ClientHello(ProtocolVersion.CURRENT, OptionalInt.empty(), true);
}
