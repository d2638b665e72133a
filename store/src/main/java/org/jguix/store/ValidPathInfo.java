package org.jguix.store;

import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What the store knows about one valid path ({@code store-api.hh:ValidPathInfo}), immutable and valid by
 * construction.
 *
 * <p>{@code narHash} is kept as the database stores it, {@code <algo>:<base16>} (e.g.
 * {@code sha256:34ca…f603}); guix-daemon only ever writes SHA-256 and {@link StoreDatabase#registerValidPaths}
 * insists on it, but rows written by other tools are read back as they are.
 * {@code registrationTime} 0 means "now" when registering. {@code narSize} 0 means unknown (SQL NULL).
 *
 * <p>{@code ultimate}, {@code sigs} and {@code ca} exist for the Nix dialect of the protocol
 * (AddToStoreNar, AddMultipleToStore, QueryPathInfo ≥ 1.16). Guix's schema 7 has no columns for them, so
 * they are <b>not persisted</b>: the database reads them back as false / empty / "", which is also
 * what a Nix client must be told about a Guix-registered path.
 */
public record ValidPathInfo(String path, Optional<String> deriver, String narHash, long registrationTime,
        long narSize, SortedSet<String> references, boolean ultimate, SortedSet<String> sigs, String ca) {

    private static final Pattern HASH = Pattern.compile("(md5|sha1|sha256|sha512):([0-9a-fA-F]+)");

    public ValidPathInfo {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(deriver, "deriver");
        Objects.requireNonNull(ca, "ca");
        if (deriver.isPresent() && deriver.get().isEmpty()) {
            deriver = Optional.empty(); // the daemon never stores "" (bound as NULL)
        }
        var m = HASH.matcher(Objects.requireNonNull(narHash, "narHash"));
        if (!m.matches() || m.group(2).length() != 2 * digestLength(m.group(1))) {
            throw new IllegalArgumentException("narHash: `" + narHash + "' (expected <algo>:<base16 digest>)");
        }
        if (registrationTime < 0 || narSize < 0) {
            throw new IllegalArgumentException("registrationTime/narSize: " + registrationTime + "/" + narSize
                    + " (expected ≥ 0)");
        }
        references = Collections.unmodifiableSortedSet(new TreeSet<>(references));
        sigs = Collections.unmodifiableSortedSet(new TreeSet<>(sigs));
    }

    /** A path to register: no deriver, registered "now", no Nix-only fields. */
    public static ValidPathInfo of(String path, byte[] sha256, long narSize, Collection<String> references) {
        return new ValidPathInfo(path, Optional.empty(), "sha256:" + HexFormat.of().formatHex(sha256), 0, narSize,
                new TreeSet<>(references), false, new TreeSet<>(), "");
    }

    /** The same info with another deriver. */
    public ValidPathInfo withDeriver(String drvPath) {
        return new ValidPathInfo(path, Optional.ofNullable(drvPath), narHash, registrationTime, narSize,
                references, ultimate, sigs, ca);
    }

    /** The same info with another registration time (Unix seconds; 0 = now). */
    public ValidPathInfo withRegistrationTime(long time) {
        return new ValidPathInfo(path, deriver, narHash, time, narSize, references, ultimate, sigs, ca);
    }

    /** The algorithm part of {@link #narHash()}, e.g. {@code sha256}. */
    public String hashAlgorithm() {
        return narHash.substring(0, narHash.indexOf(':'));
    }

    /** The digest bytes of {@link #narHash()}. */
    public byte[] narDigest() {
        return HexFormat.of().parseHex(narHash.substring(narHash.indexOf(':') + 1).toLowerCase(java.util.Locale.ROOT));
    }

    private static int digestLength(String algo) {
        return switch (algo) {
            case "md5" -> 16;
            case "sha1" -> 20;
            case "sha256" -> 32;
            default -> 64;
        };
    }
}
