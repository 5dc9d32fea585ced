package org.ocpihub.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.handler.codec.http.HttpMethod;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Latency at a fixed request rate, corrected for coordinated omission (wrk2's approach; issue 12 item 2): request
 * {@code i} is due at {@code start + i / rate}, and its latency is measured from that due time, not from when a
 * connection was free to send it. A target that stalls for 100 ms therefore shows every request that was due in
 * those 100 ms as late, as a user sending at that rate would see it, instead of one slow request.
 *
 * <p>Sends {@code GET <url><path>nnnn} with {@code nnnn} cycling from {@code 0001} to {@code --locations}, over at
 * most {@code --connections} keep-alive connections; a request due while all of
 * them are busy waits for one (and that wait counts). Every answer must be HTTP 200 with
 * {@code "status_code":1000} in its body, else it is counted as bad. A request that fails (or has no answer 60 s
 * after the last one was due) counts as an error, and its latency (until it failed, or the 60 s) is in the
 * percentiles too, so a target that stalls or drops requests cannot look faster for it. Each request gets a new {@code X-Request-ID}.
 *
 * <p>The targets are loaded one after the other by this one process, so that its JIT is warm for all of them (a
 * fresh JVM sending 1 000 requests per second spends several times the CPU per request for its first 20 s, which
 * on a 2-core machine is taken from the target): first {@code --jit-warmup-seconds} unmeasured against the first
 * target, then for each target {@code --warmup-seconds} unmeasured (its connections, its JIT) and
 * {@code --seconds} measured. Request ids are a counter, not UUIDs (SecureRandom per request costs more than the
 * rest of the request).
 *
 * <p>Arguments: {@code --target "name|http://127.0.0.1:P|Token …"} (repeatable: name, base URL, Authorization)
 * {@code --path /ocpi/2.2.1/locations/sender/LOC --locations 1000 --rate 2000} (requests per second)
 * {@code --seconds 10 --warmup-seconds 4 --jit-warmup-seconds 15 --connections 16 --header "Name: value"…}.
 * Writes {@code name.key=value} lines per target to stdout (logger {@value BenchResults#LOGGER}): {@code requests}, {@code bad}, {@code errors},
 * {@code unfinished}, {@code rate} (achieved, per s), {@code p50_ms}, {@code p90_ms}, {@code p99_ms},
 * {@code p999_ms}, {@code max_ms}, over the measured seconds only. Paths are {@code <path><4-digit number>}.
 */
public final class FixedRateLoad {

    /** The key=value lines the bench scripts read: to stdout, message only (bench/driver's logback.xml). */
    private static final Logger RESULTS = LoggerFactory.getLogger(BenchResults.LOGGER);

    private FixedRateLoad() {
    }

    private static String milliseconds(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    /** One target: its name in the output, base URL and Authorization value. */
    private record Target(String name, String url, String authorization) {
    }

    /** What one measured (or unmeasured) stretch of load saw. */
    private record Result(long requests, long bad, long errors, long unfinished, Histogram latencies) {
    }

    public static void main(String[] args) {
        String path = null;
        int locations = 1000;
        double rate = 1000;
        int seconds = 10;
        int warmup = 4;
        int jitWarmup = 15;
        int connections = 16;
        List<Target> targets = new ArrayList<>();
        List<String[]> headers = new ArrayList<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--target" -> {
                    String[] t = v.split("\\|", 3);
                    targets.add(new Target(t[0], t[1], t[2]));
                }
                case "--path" -> path = v;
                case "--locations" -> locations = Integer.parseInt(v);
                case "--rate" -> rate = Double.parseDouble(v);
                case "--seconds" -> seconds = Integer.parseInt(v);
                case "--warmup-seconds" -> warmup = Integer.parseInt(v);
                case "--jit-warmup-seconds" -> jitWarmup = Integer.parseInt(v);
                case "--connections" -> connections = Integer.parseInt(v);
                case "--header" -> headers.add(v.split(":\\s*", 2));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (targets.isEmpty() || path == null || rate <= 0 || locations < 1 || locations > 9999) {
            throw new IllegalArgumentException("--target, --path, a positive --rate and 1..9999 --locations are required");
        }
        String[] uris = new String[locations];
        for (int i = 0; i < locations; i++) {
            uris[i] = path + String.format(Locale.ROOT, "%04d", i + 1);
        }
        if (jitWarmup > 0) {
            run(targets.get(0), uris, headers, rate, connections, 0, jitWarmup);
        }
        for (Target target : targets) {
            Result r = run(target, uris, headers, rate, connections, warmup, seconds);
            Histogram h = r.latencies();
            String n = target.name() + ".";
            RESULTS.info("{}requests={}", n, r.requests());
            RESULTS.info("{}bad={}", n, r.bad());
            RESULTS.info("{}errors={}", n, r.errors());
            RESULTS.info("{}unfinished={}", n, r.unfinished());
            RESULTS.info("{}rate={}", n, String.format(Locale.ROOT, "%.0f", r.requests() / (double) seconds));
            boolean none = h.getTotalCount() == 0;
            for (double q : new double[] {50, 90, 99, 99.9}) {
                RESULTS.info("{}{}_ms={}", n, q == 99.9 ? "p999" : "p" + (int) q, none ? "nan" : milliseconds(
                        h.getValueAtPercentile(q)));
            }
            RESULTS.info("{}max_ms={}", n, none ? "nan" : milliseconds(h.getMaxValue()));
        }
        System.exit(0);
    }

    /** Loads one target at {@code rate} for {@code warmup + seconds}; latencies of requests due in the last part. */
    private static Result run(Target target, String[] uris, List<String[]> headers, double rate, int connections,
                              int warmup, int seconds) {
        ConnectionProvider pool = ConnectionProvider.builder("fixed-rate").maxConnections(connections)
                .pendingAcquireMaxCount(-1).pendingAcquireTimeout(Duration.ofSeconds(60)).build();
        HttpClient client = HttpClient.create(pool).baseUrl(target.url()).headers(h -> {
            headers.forEach(kv -> h.add(kv[0], kv[1]));
            h.set("Authorization", target.authorization());
        });
        Recorder recorder = new Recorder(3);
        AtomicLong outstanding = new AtomicLong();
        AtomicLong bad = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong measured = new AtomicLong();
        AtomicLong measuredOutstanding = new AtomicLong();
        long period = (long) (1e9 / rate);
        long start = System.nanoTime();
        long measureFrom = start + warmup * 1_000_000_000L;
        long end = measureFrom + seconds * 1_000_000_000L;
        String idPrefix = "fr-" + target.name() + "-";
        for (long i = 0; ; i++) {
            long due = start + i * period;
            if (due >= end) {
                break;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            boolean counted = due >= measureFrom;
            String requestId = idPrefix + i;
            outstanding.incrementAndGet();
            if (counted) {
                measuredOutstanding.incrementAndGet();
            }
            client.request(HttpMethod.GET).uri(uris[(int) (i % uris.length)])
                    .send((request, out) -> {
                        request.header("X-Request-ID", requestId);
                        return out;
                    })
                    .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                            .map(text -> response.status().code() == 200 && text.contains("\"status_code\":1000")))
                    .subscribe(ok -> {
                        if (counted) {
                            recorder.recordValue(Math.max(0, System.nanoTime() - due) / 1_000);
                            measured.incrementAndGet();
                            measuredOutstanding.decrementAndGet();
                            if (!ok) {
                                bad.incrementAndGet();
                            }
                        }
                        outstanding.decrementAndGet();
                    }, error -> {
                        if (counted) {
                            recorder.recordValue(Math.max(0, System.nanoTime() - due) / 1_000);
                            errors.incrementAndGet();
                            measuredOutstanding.decrementAndGet();
                        }
                        outstanding.decrementAndGet();
                    });
        }
        long drainUntil = System.nanoTime() + 60_000_000_000L;
        while (outstanding.get() > 0 && System.nanoTime() < drainUntil) {
            LockSupport.parkNanos(1_000_000);
        }
        long unfinished = measuredOutstanding.get();
        Histogram latencies = recorder.getIntervalHistogram();
        if (unfinished > 0) { // still waiting at the drain limit: at least that late
            latencies.recordValueWithCount(Math.max(0, System.nanoTime() - end) / 1_000, unfinished);
        }
        Result result = new Result(measured.get(), bad.get(), errors.get(), unfinished, latencies);
        pool.disposeLater().block(Duration.ofSeconds(5));
        return result;
    }
}
