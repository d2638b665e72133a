package org.jguix.wire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Test support: walks a NAR ({@code nix/libutil/archive.cc:parseDump} grammar) on a
 * {@link WireReader} just far enough to find its end, and the export-item trailer that
 * ExportPath writes after it. Deliberately independent of module {@code nar}: the replay tests
 * need only the framing.
 */
final class NarSkipper {
  private NarSkipper() {}

  /** Skips one whole NAR, magic included. */
  static void skipNar(WireReader in) throws IOException {
    expect(in, "nix-archive-1");
    skipNode(in);
  }

  /**
   * Skips one export item as ExportPath writes it: NAR, int 0x4558494e, path, references,
   * deriver, int hasSignature, [signature]. Returns the path.
   */
  static String skipExportItem(WireReader in) throws IOException {
    skipNar(in);
    int magic = in.readInt("export.magic");
    if (magic != 0x4558494e) {
      throw new IOException("bad export magic 0x" + Integer.toHexString(magic));
    }
    String path = in.readString("export.path");
    in.readStrings("export.references");
    in.readString("export.deriver");
    if (in.readInt("export.hasSignature") == 1) {
      in.readBytes("export.signature");
    }
    return path;
  }

  private static void skipNode(WireReader in) throws IOException {
    expect(in, "(");
    expect(in, "type");
    String type = text(in);
    switch (type) {
      case "regular" -> {
        String tag = text(in);
        if (tag.equals("executable")) {
          expect(in, "");
          tag = text(in);
        }
        if (!tag.equals("contents")) {
          throw new IOException("expected contents, got " + tag);
        }
        in.readBytes("nar.contents");
        expect(in, ")");
      }
      case "symlink" -> {
        expect(in, "target");
        in.readBytes("nar.target");
        expect(in, ")");
      }
      case "directory" -> {
        while (true) {
          String tag = text(in);
          if (tag.equals(")")) {
            break;
          }
          if (!tag.equals("entry")) {
            throw new IOException("expected entry, got " + tag);
          }
          expect(in, "(");
          expect(in, "name");
          in.readBytes("nar.name");
          expect(in, "node");
          skipNode(in);
          expect(in, ")");
        }
      }
      default -> throw new IOException("unknown node type " + type);
    }
  }

  private static String text(WireReader in) throws IOException {
    return new String(in.readBytes("nar.token").toByteArray(), StandardCharsets.ISO_8859_1);
  }

  private static void expect(WireReader in, String token) throws IOException {
    String got = text(in);
    if (!got.equals(token)) {
      throw new IOException("expected '" + token + "', got '" + got + "'");
    }
  }
}
