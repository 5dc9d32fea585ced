package org.ocpihub.testkit.party;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Predicate;

import reactor.core.scheduler.Schedulers;

/**
 * Keeps every request a platform received (or sent, see {@link SentRequest}) and lets test threads wait for one,
 * without sleeping. Requests are recorded on the platform's Netty threads, which must never wait (BlockHound fails
 * the request when one parks, even for a lock a test thread holds for a moment): recording is lock-free and wakes the
 * waiting test threads with {@link LockSupport#unpark}, whose permit means no wake-up is lost.
 */
final class RequestRecorder<T> {

    private final Queue<T> requests = new ConcurrentLinkedQueue<>();
    private final Set<Thread> waiting = ConcurrentHashMap.newKeySet();
    private final Function<T, String> describe;

    /** @param describe a one-line description of an entry, listed when a wait times out */
    RequestRecorder(Function<T, String> describe) {
        this.describe = describe;
    }

    void record(T request) {
        requests.add(request);
        waiting.forEach(LockSupport::unpark);
    }

    List<T> all() {
        return List.copyOf(requests);
    }

    void clear() {
        requests.clear();
    }

    /**
     * Waits until {@code count} recorded requests (earlier ones included) match, and returns the first {@code count}
     * of them in arrival order; throws {@link AssertionError} listing what arrived when the timeout passes.
     */
    List<T> await(Predicate<T> condition, int count, Duration timeout) {
        if (Schedulers.isInNonBlockingThread()) {
            throw new IllegalStateException("awaitRequest blocks: do not call it on a non-blocking (Netty) thread");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Thread self = Thread.currentThread();
        waiting.add(self); // before looking, so a request recorded after the look unparks us
        try {
            while (true) {
                List<T> matches = new ArrayList<>();
                for (T candidate : requests) {
                    if (condition.test(candidate)) {
                        matches.add(candidate);
                        if (matches.size() == count) {
                            return List.copyOf(matches);
                        }
                    }
                }
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    throw new AssertionError("expected " + count + " matching request(s) within " + timeout
                            + " but " + matches.size() + " matched; received: "
                            + requests.stream().map(describe).toList());
                }
                LockSupport.parkNanos(this, remaining);
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a request");
                }
            }
        } finally {
            waiting.remove(self);
        }
    }
}
