package org.jguix.store.gc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jguix.store.GcRoots;
import org.jguix.store.StoreException;
import org.jguix.store.StoreLayout;

/**
 * Store items used by running processes. guix-daemon's {@code addAdditionalRoots} runs
 * {@code guix gc --list-busy} ({@code guix/store/roots.scm:busy-store-items}) and keeps every line
 * that names a valid store item; jguix does the same scan itself, without starting Guile on every
 * collection:
 *
 * <ul>
 * <li>for each numeric entry of {@code /proc}, in numeric order: the targets of {@code exe} and
 *     {@code cwd}; the absolute targets of the links in {@code fd/}; the file of every line of
 *     {@code maps} matching {@code ^.*[[:blank:]]+/([^ ]+)$}; every match of
 *     {@code STORE/[0-9a-z]{32}-[a-zA-Z0-9\._+-]+} in the value of each {@code environ} entry (the
 *     backslash is part of the bracket, as in POSIX);</li>
 * <li>unreadable links count as nothing; if {@code maps} or {@code environ} cannot be read (the
 *     process ended, or no permission), that process contributes nothing at all, as the Scheme
 *     {@code catch} around the whole list makes it;</li>
 * <li>each file under the store becomes its top-level item, and the valid ones are roots.</li>
 * </ul>
 *
 * <p>Only files under the store count, so {@link #find} looks at a {@code maps} line or an
 * {@code environ} value only if it contains the store directory: a JVM maps thousands of files, and
 * matching every line took tens of milliseconds per collection on a busy machine.
 */
final class RuntimeRoots {
    private static final Pattern MAPS_LINE = Pattern.compile("^.*[ \\t]+/([^ ]+)$");

    private RuntimeRoots() {
    }

    /** The valid items busy processes under {@code proc} use. */
    static Set<String> find(Path proc, StoreLayout layout, GcRoots.Validity db) throws StoreException {
        Set<String> out = new LinkedHashSet<>();
        for (String file : referencedFiles(proc, layout.storeDirString(), layout.storeDirString() + "/")) {
            if (layout.isInStore(file)) {
                String item = layout.toStorePath(file);
                if (!out.contains(item) && db.isValid(item)) {
                    out.add(item);
                }
            }
        }
        return out;
    }

    /** {@code referenced-files}: every file name found, duplicates included. */
    static List<String> referencedFiles(Path proc, String storeDir) {
        return referencedFiles(proc, storeDir, "");
    }

    /** The same, skipping {@code maps} lines and {@code environ} values that lack {@code mustContain}. */
    static List<String> referencedFiles(Path proc, String storeDir, String mustContain) {
        Pattern environ = Pattern.compile(Pattern.quote(storeDir) + "/[0-9a-z]{32}-[a-zA-Z0-9\\\\._+-]+");
        TreeMap<Long, Path> pids = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(proc)) {
            for (Path e : entries) {
                String name = e.getFileName().toString();
                if (!name.isEmpty() && name.chars().allMatch(Character::isDigit) && name.length() < 19) {
                    pids.put(Long.parseLong(name), e);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        List<String> files = new ArrayList<>();
        for (Path dir : pids.values()) {
            try {
                List<String> mine = new ArrayList<>();
                link(dir.resolve("exe"), mine);
                link(dir.resolve("cwd"), mine);
                fds(dir.resolve("fd"), mine);
                maps(dir.resolve("maps"), mustContain, mine);
                environ(dir.resolve("environ"), environ, mustContain, mine);
                files.addAll(mine);
            } catch (NoSuchFileException | AccessDeniedException e) {
                // the process ended, or we may not look: nothing from it
            } catch (IOException e) {
                // ESRCH and friends: the process is going away
            }
        }
        return files;
    }

    private static void link(Path l, List<String> out) {
        try {
            out.add(Files.readSymbolicLink(l).toString());
        } catch (IOException | UnsupportedOperationException e) {
            // false-if-exception
        }
    }

    private static void fds(Path dir, List<String> out) {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path e : entries) {
                String n = e.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                    names.add(n);
                }
            }
        } catch (IOException e) {
            return; // (or (scandir ...) '())
        }
        names.sort(null);
        for (String n : names) {
            try {
                String target = Files.readSymbolicLink(dir.resolve(n)).toString();
                if (target.startsWith("/")) {
                    out.add(target);
                }
            } catch (IOException e) {
                // closed meanwhile
            }
        }
    }

    private static void maps(Path maps, String mustContain, List<String> out) throws IOException {
        forEachRecord(Files.readAllBytes(maps), mustContain, "\n\r", line -> {
            Matcher m = MAPS_LINE.matcher(line);
            if (m.matches()) {
                out.add("/" + m.group(1));
            }
        });
    }

    private static void environ(Path environ, Pattern storeItem, String mustContain, List<String> out)
            throws IOException {
        forEachRecord(Files.readAllBytes(environ), mustContain, "\0", entry -> {
            int eq = entry.indexOf('=');
            if (eq >= 0) {
                Matcher m = storeItem.matcher(entry.substring(eq + 1));
                while (m.find()) {
                    out.add(m.group());
                }
            }
        });
    }

    /**
     * Each record of {@code data} (separated by any of {@code separators}) that contains
     * {@code mustContain}, decoded as ISO-8859-1, in order. Only those records are decoded: a JVM's
     * {@code maps} has thousands of lines, and decoding them all was most of the scan.
     */
    static void forEachRecord(byte[] data, String mustContain, String separators, Consumer<String> f) {
        if (mustContain.isEmpty()) {
            int start = 0;
            for (int i = 0; i <= data.length; i++) {
                if (i == data.length || separators.indexOf(data[i] & 0xff) >= 0) {
                    if (i > start || i < data.length) {
                        f.accept(new String(data, start, i - start, StandardCharsets.ISO_8859_1));
                    }
                    start = i + 1;
                }
            }
            return;
        }
        byte[] needle = mustContain.getBytes(StandardCharsets.ISO_8859_1);
        int from = 0;
        while (true) {
            int at = indexOf(data, needle, from);
            if (at < 0) {
                return;
            }
            int start = at;
            while (start > 0 && separators.indexOf(data[start - 1] & 0xff) < 0) {
                start--;
            }
            int end = at + needle.length;
            while (end < data.length && separators.indexOf(data[end] & 0xff) < 0) {
                end++;
            }
            f.accept(new String(data, start, end - start, StandardCharsets.ISO_8859_1));
            from = end;
        }
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = from; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
