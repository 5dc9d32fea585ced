package org.ocpihub.bench;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongArray;

import org.ocpihub.testkit.party.RecordedRequest;

/**
 * What the receivers got during one phase: the first arrival ({@link RecordedRequest#receivedAt()}) of every
 * broadcast at every receiver, told apart by the X-Correlation-ID {@code bb<phase>-<i>} the pushes carry; a second
 * arrival of the same broadcast at the same receiver is a duplicate; an arrival whose method or path is not the
 * broadcast's is wrong; one of another phase (a late copy) is a stray. Lock-free: receivers record on Netty threads.
 */
final class Arrivals {

    private final String prefix;
    private final Broadcasts broadcasts;
    private final int receivers;
    private final AtomicLongArray firstMicros; // receiver * M + broadcast → epoch µs, 0 = not yet
    private final AtomicIntegerArray perReceiver;
    private final AtomicInteger delivered = new AtomicInteger();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicInteger wrong = new AtomicInteger();
    private final AtomicInteger stray = new AtomicInteger();

    Arrivals(int phase, Broadcasts broadcasts, int receivers) {
        this.prefix = correlationPrefix(phase);
        this.broadcasts = broadcasts;
        this.receivers = receivers;
        this.firstMicros = new AtomicLongArray(receivers * broadcasts.size());
        this.perReceiver = new AtomicIntegerArray(receivers);
    }

    static String correlationPrefix(int phase) {
        return "bb" + phase + "-";
    }

    static String correlationId(int phase, int broadcast) {
        return correlationPrefix(phase) + broadcast;
    }

    static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
    }

    void record(int receiver, RecordedRequest request) {
        String correlation = request.header("X-Correlation-ID");
        int i = correlation != null && correlation.startsWith(prefix) ? parse(correlation.substring(prefix.length()))
                : -1;
        if (i < 0 || i >= broadcasts.size() || receiver >= receivers) {
            stray.incrementAndGet();
            return;
        }
        Broadcasts.Push push = broadcasts.get(i);
        if (!push.method().equals(request.method()) || !request.path().endsWith(push.suffix())) {
            wrong.incrementAndGet();
        }
        if (firstMicros.compareAndSet(receiver * broadcasts.size() + i, 0, micros(request.receivedAt()))) {
            delivered.incrementAndGet();
            perReceiver.incrementAndGet(receiver);
        } else {
            duplicates.incrementAndGet();
        }
    }

    private static int parse(String number) {
        try {
            return Integer.parseInt(number);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Distinct (receiver, broadcast) arrivals so far. */
    int delivered() {
        return delivered.get();
    }

    int delivered(int receiver) {
        return perReceiver.get(receiver);
    }

    int duplicates() {
        return duplicates.get();
    }

    int wrong() {
        return wrong.get();
    }

    int stray() {
        return stray.get();
    }

    /** Epoch µs of the first arrival of broadcast {@code i} at {@code receiver}, 0 when it has not arrived. */
    long arrival(int receiver, int i) {
        return firstMicros.get(receiver * broadcasts.size() + i);
    }

    int receivers() {
        return receivers;
    }

    int broadcasts() {
        return broadcasts.size();
    }
}
