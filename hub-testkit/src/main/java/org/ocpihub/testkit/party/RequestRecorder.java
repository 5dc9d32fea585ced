package org.ocpihub.testkit.party;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;

import reactor.core.scheduler.Schedulers;

/**
 * Keeps every request a platform received (or sent, see {@link SentRequest}) and lets test threads wait for one,
 * without sleeping.
 */
final class RequestRecorder<T> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final List<T> requests = new ArrayList<>();
    private final Function<T, String> describe;

    /** @param describe a one-line description of an entry, listed when a wait times out */
    RequestRecorder(Function<T, String> describe) {
        this.describe = describe;
    }

    void record(T request) {
        lock.lock();
        try {
            requests.add(request);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    List<T> all() {
        lock.lock();
        try {
            return List.copyOf(requests);
        } finally {
            lock.unlock();
        }
    }

    void clear() {
        lock.lock();
        try {
            requests.clear();
        } finally {
            lock.unlock();
        }
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
        List<T> matches = new ArrayList<>();
        int checked = 0;
        lock.lock();
        try {
            while (true) {
                for (; checked < requests.size(); checked++) {
                    T candidate = requests.get(checked);
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
                arrived.await(remaining, TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a request", e);
        } finally {
            lock.unlock();
        }
    }
}
