package org.ocpihub.router.forward;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.ocpihub.registry.metrics.LatencyBuckets;
import org.ocpihub.router.pipeline.Receiver;
import org.springframework.stereotype.Component;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.timeout.ReadTimeoutException;

/**
 * Times forwarded calls from the receiver's side ({@code ocpihub.routing.upstream}): from the hub starting the call
 * to the head of the receiver's answer, or to the failure, by receiving platform (name and id), module and result:
 * {@code 2xx}..{@code 5xx} by the answer's HTTP status, {@code timeout} (no answer within the module's timeout),
 * {@code circuit_open} (not called: its circuit breaker is open), {@code not_connected} (not called: the platform is
 * not CONNECTED, e.g. OFFLINE or SUSPENDED; the time is zero) or {@code unreachable} (anything else that kept the
 * call from being answered: connection refused or closed, unresolvable name, URL policy, too many calls waiting).
 * A call the requester abandoned is not counted: it says nothing about the receiver.
 */
@Component
public class UpstreamMetrics {

    static final String TIMEOUT = "timeout";
    static final String CIRCUIT_OPEN = "circuit_open";
    static final String UNREACHABLE = "unreachable";
    static final String NOT_CONNECTED = "not_connected";

    private final MeterRegistry registry;
    /** Timers by their tags: looked up once, not registered on every call. */
    private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

    /** @param registry where the timers are registered (one per receiver, module and result that occurred) */
    public UpstreamMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Metrics that go nowhere (unit tests of other parts). */
    static UpstreamMetrics discarded() {
        return new UpstreamMetrics(new SimpleMeterRegistry());
    }

    private record Key(UUID receiverId, String receiver, String module, String result) {
    }

    /**
     * Records a call the receiver answered.
     *
     * @param httpStatus the answer's HTTP status code
     * @param started    {@link System#nanoTime()} when the call started
     */
    void answered(Receiver receiver, String module, int httpStatus, long started) {
        record(receiver, module, statusClass(httpStatus), started);
    }

    /** Records a call that got no answer; a call the requester abandoned is left out. */
    void failed(Receiver receiver, String module, Throwable error, long started) {
        String result = result(error);
        if (result != null) {
            record(receiver, module, result, started);
        }
    }

    /**
     * Records a call that was never made because the receiving platform is not CONNECTED (4003 to the caller).
     *
     * @param receiverId   the receiving platform's id
     * @param receiverName its registered name
     * @param module       the OCPI module id, e.g. {@code locations}
     */
    void notConnected(UUID receiverId, String receiverName, String module) {
        timer(new Key(receiverId, receiverName, module, NOT_CONNECTED)).record(0, TimeUnit.NANOSECONDS);
    }

    /** {@code 2xx} for 1xx and 2xx, {@code 3xx}, {@code 4xx}, and {@code 5xx} for 5xx and above. */
    static String statusClass(int httpStatus) {
        if (httpStatus < 300) {
            return "2xx";
        }
        if (httpStatus < 400) {
            return "3xx";
        }
        return httpStatus < 500 ? "4xx" : "5xx";
    }

    /** The result of a call that failed before an answer, or null when the requester, not the receiver, ended it. */
    static String result(Throwable error) {
        if (RequesterGone.in(error)) {
            return null;
        }
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof CallNotPermittedException) {
                return CIRCUIT_OPEN;
            }
            if (t instanceof ReadTimeoutException || t instanceof TimeoutException) {
                return TIMEOUT;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return UNREACHABLE;
    }

    private void record(Receiver receiver, String module, String result, long started) {
        Key key = new Key(receiver.platform().platform().id(), receiver.platformName(), module, result);
        timer(key).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }

    private Timer timer(Key key) {
        Timer timer = timers.get(key); // the common case: no lock, no registration
        return timer != null ? timer : timers.computeIfAbsent(key, this::register);
    }

    private Timer register(Key key) {
        return Timer.builder("ocpihub.routing.upstream")
                .description("Forwarded calls from the hub to a receiving platform, until its answer's head or the "
                        + "failure")
                .tag("receiver", key.receiver() == null ? LatencyBuckets.UNKNOWN : key.receiver())
                .tag("receiver_id", key.receiverId().toString())
                .tag("module", key.module())
                .tag("result", key.result())
                .serviceLevelObjectives(LatencyBuckets.SLOS)
                .register(registry);
    }
}
