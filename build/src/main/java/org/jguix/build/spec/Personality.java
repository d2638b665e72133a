package org.jguix.build.spec;

/**
 * The builder's {@code personality(2)} value ({@code startBuilder}, build-environment.md §9):
 * {@code PER_LINUX}, or {@code PER_LINUX32} for i686 on x86_64 and armhf on aarch64;
 * {@code UNAME26} with {@code --impersonate-linux-2.6} for i686/x86_64 builds; always
 * {@code ADDR_NO_RANDOMIZE}.
 */
public final class Personality {
    public static final int PER_LINUX = 0;
    public static final int PER_LINUX32 = 0x0008;
    public static final int UNAME26 = 0x0020000;
    public static final int ADDR_NO_RANDOMIZE = 0x0040000;

    private Personality() {
    }

    /** {@code machine} is {@code uname -m} of the host (the kernel's sysname is Linux). */
    public static int of(String platform, BuildSettings settings, String machine) {
        int persona = PER_LINUX;
        if (platform.equals("i686-linux")
                && (settings.thisSystem().equals("x86_64-linux") || machine.equals("x86_64"))) {
            persona = PER_LINUX32;
        }
        if (platform.equals("armhf-linux")
                && (settings.thisSystem().equals("aarch64-linux") || machine.equals("aarch64"))) {
            persona = PER_LINUX32;
        }
        if ((platform.equals("i686-linux") || platform.equals("x86_64-linux")) && settings.impersonateLinux26()) {
            persona |= UNAME26;
        }
        return persona | ADDR_NO_RANDOMIZE;
    }
}
