package org.jguix.bench.daemon;

import java.util.List;

/**
 * Samples the resident memory of the daemon's process tree while a phase runs: every 50 ms the
 * sum of {@code VmRSS} over the tree (pages shared between guix-daemon's forked workers are
 * counted once per process), the largest single {@code VmRSS}, and every 200 ms the sum of
 * {@code Pss} (shared pages split between their users: what the tree really costs). The
 * kernel's exact peak of one process is {@code VmHWM}, read separately.
 */
final class MemorySampler implements AutoCloseable {
    private final DaemonProcess daemon;
    private final Thread thread;
    private volatile boolean running = true;
    private long peakSumRss;
    private long peakOneRss;
    private long peakSumPss;
    private int peakProcesses;

    MemorySampler(DaemonProcess daemon) {
        this.daemon = daemon;
        this.thread = Thread.ofPlatform().daemon().name("memory sampler").start(this::run);
    }

    private void run() {
        for (int n = 0; running; n++) {
            sample(n % 4 == 0);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void sample(boolean pss) {
        List<Long> pids = daemon.tree();
        long sum = 0;
        long sumPss = 0;
        for (long pid : pids) {
            long rss = DaemonProcess.statusKib(pid, "VmRSS");
            sum += rss;
            peakOneRss = Math.max(peakOneRss, rss);
            if (pss) {
                sumPss += DaemonProcess.pssKib(pid);
            }
        }
        peakSumRss = Math.max(peakSumRss, sum);
        peakSumPss = Math.max(peakSumPss, sumPss);
        peakProcesses = Math.max(peakProcesses, pids.size());
    }

    /** Stops sampling after one last sample. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sample(true);
    }

    /** {@code sum-rss-kib=… max-rss-kib=… sum-pss-kib=… processes=…}. */
    synchronized String summary() {
        return "sum-rss-kib=" + peakSumRss + " max-rss-kib=" + peakOneRss + " sum-pss-kib=" + peakSumPss
                + " processes=" + peakProcesses;
    }
}
