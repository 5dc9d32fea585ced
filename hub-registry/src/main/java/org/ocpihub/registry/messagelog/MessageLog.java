package org.ocpihub.registry.messagelog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.ocpihub.ocpi.MessageIds;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

/**
 * The hub's message log writer (issue 9 item 7): the request path hands it one {@link MessageLogEntry} per routed or
 * relayed request, accepted broadcast and ended delivery ({@link #append}), and a flusher on its own scheduler writes
 * what is queued every {@code hub.message-log.flush-interval}, in batches of {@code batch-size} rows, one
 * multi-row statement each ({@link MessageLogStore#insert}). Every instance writes into the same PostgreSQL table, so
 * every instance's traffic is searchable from any instance ({@link MessageLogQueries}).
 *
 * <p>{@link #append} never waits and never fails: the queue is a lock-free linked queue bounded by a counter (no
 * lock a busy event loop could park on, which BlockHound would flag), and a row that does not fit is dropped and
 * counted ({@code ocpihub.messagelog.dropped}, {@code reason=queue-full}). A batch the database does not take is
 * retried with backoff ({@code 3} retries, 0.5 s to 5 s) and then dropped, counted ({@code reason=database}); the
 * queue meanwhile fills and drops, so a database outage never grows the hub's memory. What is queued at shutdown is
 * written before the database connections close (a lifecycle phase after the web server's stop).
 */
public class MessageLog implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MessageLog.class);

    /** Writes one batch, all rows of this instance; completes when the rows are stored. */
    @FunctionalInterface
    public interface BatchWriter {
        Mono<Void> write(String instanceId, List<MessageLogEntry> batch);
    }

    private final boolean enabled;
    private final MessageLogProperties properties;
    private final BatchWriter writer;
    private final String instanceId;
    private final ConcurrentLinkedQueue<MessageLogEntry> queue = new ConcurrentLinkedQueue<>();
    /** Rows queued; the queue's own size() walks the list. */
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong droppedTotal = new AtomicLong();
    private final Counter droppedQueueFull;
    private final Counter droppedDatabase;
    private final Counter written;
    private volatile Scheduler scheduler;
    private volatile Disposable flusher;
    /** Retries of a failed batch (shorter at shutdown, so stopping never hangs on a database that is down). */
    private volatile int retries = 3;

    /**
     * @param properties {@code hub.message-log.*}
     * @param writer     stores one batch ({@link MessageLogStore#insert} in the hub)
     * @param meters     where {@code ocpihub.messagelog.*} are registered
     */
    public MessageLog(MessageLogProperties properties, BatchWriter writer, MeterRegistry meters) {
        this.enabled = properties.enabled();
        this.properties = properties;
        this.writer = writer;
        this.instanceId = "hub-" + ProcessHandle.current().pid() + "-" + MessageIds.next().substring(0, 8);
        this.droppedQueueFull = Counter.builder("ocpihub.messagelog.dropped")
                .description("Message log rows dropped: the queue was full, or the database did not take them")
                .tag("reason", "queue-full").register(meters);
        this.droppedDatabase = Counter.builder("ocpihub.messagelog.dropped")
                .description("Message log rows dropped: the queue was full, or the database did not take them")
                .tag("reason", "database").register(meters);
        this.written = Counter.builder("ocpihub.messagelog.written")
                .description("Message log rows written to the database").register(meters);
        Gauge.builder("ocpihub.messagelog.queued", queued, AtomicInteger::get)
                .description("Message log rows waiting to be written").register(meters);
    }

    /** A log that logs nothing (for code built without Spring, e.g. unit tests of the writers). */
    public static MessageLog disabled() {
        MessageLogProperties defaults = MessageLogProperties.defaults();
        return new MessageLog(new MessageLogProperties(false, defaults.retention(), defaults.batchSize(),
                defaults.flushInterval(), defaults.queueCapacity(), defaults.purgeInterval(), defaults.purgeChunk()),
                (instance, batch) -> Mono.empty(), new SimpleMeterRegistry());
    }

    /**
     * Whether rows are logged ({@code hub.message-log.enabled}); writers ask first, so with the log off the request
     * path builds no entry.
     */
    public boolean enabled() {
        return enabled;
    }

    /** This process's id in the {@code instance_id} column. */
    public String instanceId() {
        return instanceId;
    }

    /**
     * Queues one row to be written. O(1), lock-free, never blocks and never throws: when the log is off nothing
     * happens, when {@code queue-capacity} rows are waiting the row is dropped and counted.
     */
    public void append(MessageLogEntry entry) {
        if (!enabled || entry == null) {
            return;
        }
        try {
            if (queued.incrementAndGet() > properties.queueCapacity()) {
                queued.decrementAndGet();
                droppedTotal.incrementAndGet();
                droppedQueueFull.increment();
                return;
            }
            queue.offer(entry);
        } catch (RuntimeException e) {
            // nothing the log does may fail a request
            droppedTotal.incrementAndGet();
        }
    }

    /** Rows waiting to be written. */
    public int queued() {
        return queued.get();
    }

    /** Rows dropped since start (queue full or the database did not take them). */
    public long dropped() {
        return droppedTotal.get();
    }

    /**
     * Writes everything queued now, batch by batch; completes when done (failed batches dropped and counted). The
     * flusher calls it every interval; public so a test can wait for the rows it just caused.
     */
    public Mono<Void> flush() {
        return Mono.defer(this::flushOneBatch).repeat(() -> queued.get() > 0).then();
    }

    private Mono<Void> flushOneBatch() {
        List<MessageLogEntry> batch = new ArrayList<>(Math.min(properties.batchSize(), Math.max(queued.get(), 1)));
        MessageLogEntry next;
        while (batch.size() < properties.batchSize() && (next = queue.poll()) != null) {
            queued.decrementAndGet();
            batch.add(next);
        }
        if (batch.isEmpty()) {
            return Mono.empty();
        }
        int attempts = retries;
        return Mono.defer(() -> writer.write(instanceId, batch))
                .retryWhen(Retry.backoff(attempts, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(5)))
                .doOnSuccess(v -> written.increment(batch.size()))
                .onErrorResume(e -> {
                    droppedTotal.addAndGet(batch.size());
                    droppedDatabase.increment(batch.size());
                    Throwable cause = e.getCause() != null ? e.getCause() : e;
                    log.warn("message log: {} rows dropped, the database did not take them: {}", batch.size(),
                            cause.getMessage());
                    return Mono.empty();
                });
    }

    @Override
    public void start() {
        if (!enabled || flusher != null) {
            return;
        }
        Scheduler own = Schedulers.newSingle("ocpihub-message-log", true);
        scheduler = own;
        flusher = Flux.interval(properties.flushInterval(), properties.flushInterval(), own)
                .onBackpressureDrop()
                .concatMap(tick -> flush().onErrorResume(e -> {
                    log.warn("message log flush failed: {}", e.toString());
                    return Mono.empty();
                }), 1)
                .subscribe();
    }

    /** Stops the flusher and writes what is still queued (at most about 10 s; a database that is down drops it). */
    @Override
    public void stop() {
        Disposable running = flusher;
        flusher = null;
        if (running == null) {
            return;
        }
        running.dispose();
        retries = 1;
        try {
            flush().block(Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            log.warn("message log: {} rows not written at shutdown: {}", queued.get(), e.getMessage());
        }
        Scheduler own = scheduler;
        if (own != null) {
            own.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return flusher != null;
    }

    /**
     * Stops after the web server ({@code DEFAULT_PHASE - 2048}) so the last requests are logged, and before the
     * database connections close (they go with the beans, after every lifecycle stopped).
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }
}
