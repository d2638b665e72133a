package org.jguix.build.substitute;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A stand-in for {@code guix}: a bash script that is called as {@code PROGRAM substitute --query}
 * (or {@code --substitute}) and speaks the agent protocol as the test's {@code body} says. It writes
 * its arguments, each request line and {@code $_NIX_OPTIONS} to files next to it, so tests can check
 * what the daemon sent. Helpers for the body: {@code reply TEXT} (printf to fd 4), {@code msg TEXT}
 * (printf to stderr).
 */
final class FakeAgent {
    private FakeAgent() {
    }

    static Path write(Path dir, String body) throws IOException {
        Path script = dir.resolve("guix");
        String text = "#!/bin/bash\n"
                + "d=$(dirname \"$0\")\n"
                + "echo \"$*\" >>\"$d/args\"\n"
                + "printf '%s' \"$_NIX_OPTIONS\" >\"$d/options\"\n"
                + "reply() { printf \"$@\" >&4; }\n"
                + "msg() { printf \"$@\" >&2; }\n"
                + "request() { IFS= read -r line || exit 0; echo \"$line\" >>\"$d/requests\"; }\n"
                + body + "\n";
        Files.writeString(script, text);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }
}
