package org.ocpihub.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * Reads what the hub process costs, from Linux's {@code /proc}: its resident set (VmRSS) and heap in use (the hub's
 * own {@code jvm.memory.used{area=heap}}), sampled every second while a phase runs; and CPU ticks (user + system) of
 * the hub JVM, of its PostgreSQL (the postmaster named by its {@code postmaster.pid} file and its backends), of this
 * driver JVM and of the whole machine, read before and after a phase. Without a hub pid only the heap is sampled.
 */
final class ProcessMeter implements AutoCloseable {

    /** Linux's USER_HZ on x86-64: the unit of the tick counts in /proc. */
    static final int TICKS_PER_SECOND = 100;

    /** Memory of the hub during one phase: max and median of the samples, NaN when none. */
    record Memory(int samples, double rssMax, double rssMedian, double heapMax, double heapMedian) {
    }

    /**
     * CPU ticks at one moment; {@code hubThreads}: the hub JVM's ticks by {@link #threadGroup thread group};
     * {@code hubWaits}: by the same groups, nanoseconds the hub's threads spent runnable but waiting for a CPU (Linux's
     * run-queue delay, the second field of {@code /proc/<pid>/task/<tid>/schedstat}), and {@code hubSlices}: the
     * times they were given a CPU (its third field). Threads that ended meanwhile are missing from a difference, so
     * groups are clamped at 0.
     */
    record Cpu(long hub, long postgres, long driver, long busy, long total, Map<String, Long> hubThreads,
            Map<String, Long> hubWaits, Map<String, Long> hubSlices) {
        Cpu minus(Cpu before) {
            return new Cpu(hub - before.hub, postgres - before.postgres, driver - before.driver, busy - before.busy,
                    total - before.total, minus(hubThreads, before.hubThreads), minus(hubWaits, before.hubWaits),
                    minus(hubSlices, before.hubSlices));
        }

        private static Map<String, Long> minus(Map<String, Long> now, Map<String, Long> before) {
            Map<String, Long> difference = new TreeMap<>();
            now.forEach((group, value) -> difference.put(group, Math.max(0, value - before.getOrDefault(group, 0L))));
            return difference;
        }
    }

    /** The thread groups of {@link Cpu#hubThreads}, in report order. */
    static final List<String> THREAD_GROUPS = List.of("deliveries", "HTTP server", "PostgreSQL client", "Kafka",
            "garbage collector", "JIT compiler", "other");

    private final long hubPid;
    private final Path postgresPidFile;
    private final DoubleSupplier heapUsed;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "bench-process-meter");
        thread.setDaemon(true);
        return thread;
    });
    private final List<long[]> samples = new ArrayList<>(); // {rss bytes or -1, heap bytes or -1}
    private ScheduledFuture<?> sampling;

    /**
     * @param hubPid          the hub JVM's pid, or 0 when unknown
     * @param postgresPidFile the {@code postmaster.pid} of the hub's embedded PostgreSQL, or null
     * @param heapUsed        the hub's heap in use in bytes, NaN when unknown
     */
    ProcessMeter(long hubPid, Path postgresPidFile, DoubleSupplier heapUsed) {
        this.hubPid = hubPid;
        this.postgresPidFile = postgresPidFile;
        this.heapUsed = heapUsed;
    }

    /** Starts sampling memory every second (and once now), forgetting earlier samples. */
    synchronized void startSampling() {
        stopSampling();
        samples.clear();
        sampling = executor.scheduleAtFixedRate(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    /** Stops sampling and summarises the samples taken since {@link #startSampling()}. */
    Memory stopSampling() {
        ScheduledFuture<?> running;
        synchronized (this) {
            running = sampling;
            sampling = null;
        }
        if (running != null) {
            running.cancel(false);
            try { // let a sample in progress finish
                executor.submit(() -> { }).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // summarise what there is
            }
        }
        List<long[]> taken;
        synchronized (this) {
            taken = List.copyOf(samples);
        }
        long[] rss = taken.stream().mapToLong(s -> s[0]).filter(v -> v >= 0).toArray();
        long[] heap = taken.stream().mapToLong(s -> s[1]).filter(v -> v >= 0).toArray();
        Stats r = Stats.of(rss);
        Stats h = Stats.of(heap);
        return new Memory(taken.size(), r.max(), r.percentile(0.5), h.max(), h.percentile(0.5));
    }

    private void sample() {
        long rss = hubPid > 0 ? rssBytes(hubPid) : -1;
        double heap;
        try {
            heap = heapUsed.getAsDouble();
        } catch (RuntimeException e) {
            heap = Double.NaN;
        }
        long[] sample = {rss, Double.isNaN(heap) ? -1 : (long) heap};
        synchronized (this) {
            samples.add(sample);
        }
    }

    /** CPU ticks now. */
    Cpu cpu() {
        long hub = hubPid > 0 ? ticks(hubPid) : 0;
        long postmaster = postmasterPid();
        // the postmaster detaches from the hub (pg_ctl); its backends are its children
        long postgres = postmaster <= 0 ? 0 : ticks(postmaster) + ProcessHandle.of(postmaster).stream()
                .flatMap(ProcessHandle::descendants).mapToLong(p -> ticks(p.pid())).sum();
        long driver = ticks(ProcessHandle.current().pid());
        long busy = 0;
        long total = 0;
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal
            for (int i = 1; i <= 8 && i < cpu.length; i++) {
                long v = Long.parseLong(cpu[i]);
                total += v;
                if (i != 4 && i != 5) {
                    busy += v;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no machine figures
        }
        Map<String, Long> ticks = new TreeMap<>();
        Map<String, Long> waits = new TreeMap<>();
        Map<String, Long> slices = new TreeMap<>();
        if (hubPid > 0) {
            threads(hubPid, ticks, waits, slices);
        }
        return new Cpu(hub, postgres, driver, busy, total, ticks, waits, slices);
    }

    /**
     * Each thread of a process, summed by {@link #threadGroup} into the three maps: utime + stime ticks (from
     * {@code stat}), and run-queue delay in ns and time slices (from {@code schedstat}). A thread that ended meanwhile
     * is skipped; the maps stay empty when {@code /proc} cannot be read, and without {@code schedstat} (a kernel
     * without CONFIG_SCHED_INFO) only the ticks are filled.
     */
    static void threads(long pid, Map<String, Long> ticks, Map<String, Long> waits, Map<String, Long> slices) {
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String group = threadGroup(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(group, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                    String[] schedule = Files.readString(task.resolve("schedstat")).trim().split(" ");
                    waits.merge(group, Long.parseLong(schedule[1]), Long::sum);
                    slices.merge(group, Long.parseLong(schedule[2]), Long::sum);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing
        }
    }

    /**
     * The group of a hub thread by its name as Linux keeps it (at most 15 characters): the hub's delivery loops
     * ({@code ocpihub-delivery-N}), its HTTP server loops (routing and broadcast acceptance), R2DBC's loops, Kafka's
     * threads (the client's, and the in-process broker's in the embedded default), HotSpot's collector and compiler
     * threads, and the rest (message log, schedulers, logging).
     */
    static String threadGroup(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("ocpihub-deliver")) {
            return "deliveries";
        }
        if (lower.startsWith("webflux-http") || lower.startsWith("reactor-http")) {
            return "HTTP server";
        }
        if (lower.startsWith("reactor-tcp")) {
            return "PostgreSQL client";
        }
        if (lower.contains("kafka") || lower.startsWith("data-plane") || lower.startsWith("quorum")
                || lower.startsWith("group-coordinat") || lower.startsWith("broker-") || lower.startsWith("controller")
                || lower.startsWith("raft") || lower.startsWith("share-") || lower.startsWith("transaction")
                || lower.startsWith("persister") || lower.startsWith("expirationreap") || lower.startsWith("executor-")) {
            return "Kafka";
        }
        if (lower.startsWith("gc thread") || lower.startsWith("g1 ") || lower.equals("vm thread")) {
            return "garbage collector";
        }
        if (lower.contains("compilerthre") || lower.startsWith("sweeper")) {
            return "JIT compiler";
        }
        return "other";
    }

    private long postmasterPid() {
        if (postgresPidFile == null) {
            return 0;
        }
        try {
            return Long.parseLong(Files.readAllLines(postgresPidFile).get(0).trim());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone or not Linux
        }
        return -1;
    }

    /** utime + stime of one process, 0 when it cannot be read. */
    static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
