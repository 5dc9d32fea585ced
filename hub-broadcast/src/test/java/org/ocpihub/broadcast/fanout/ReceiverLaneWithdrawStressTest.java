package org.ocpihub.broadcast.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.delivery.DeliveryOutcome;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * {@link ReceiverLane#withdraw} racing everything else: one thread per Kafka partition submits that partition's
 * records in order (data keyed by object, so one object's pushes share a partition; every versioned Hub Client Info
 * change has a copy in every partition), each delivery carrying the partition's current {@link PartitionOwnership}; a
 * sender ends deliveries on other threads after random short delays (some at once, some with an error, some never
 * until cancelled); and a withdrawer, at random moments, revokes one or two partitions' ownerships and withdraws them
 * from the lane, then re-assigns each partition (a fresh ownership for the same number), racing with the answers.
 * Checked at the end, after every send still running was ended:
 * <ul>
 *   <li>every submitted delivery's result came exactly once, and never as an error;</li>
 *   <li>a delivery submitted after its ownership was revoked ends {@link ReceiverLane#withdrawn} and is never sent;
 *       a delivery ends withdrawn only when its own ownership was revoked by then (a withdrawn one's record is left to
 *       the new owner: one of a partition that stays would never be acknowledged);</li>
 *   <li>no send starts once {@code withdraw} returned for its ownership; a cancelled send ends withdrawn; one that
 *       ended otherwise ends with the sender's answer (or the lane's "failed unexpectedly" for an error or nothing),
 *       unless the withdrawal won the race;</li>
 *   <li>per object and receiving party, sends never overlap;</li>
 *   <li>nothing waits, is in flight or superseded, the lane's bookkeeping is empty (every map, queue and its set of
 *       sends included) and every ownership has nothing on the wire.</li>
 * </ul>
 * A send may start after its ownership was revoked and before {@code withdraw} returned: the lane counts it on the
 * wire before it looks at the revocation ({@link PartitionOwnership#tryStart()}), and the hand-over waits for it or
 * cancels it. That is the documented contract, so it is counted and reported, not treated as a breach.
 *
 * <p>What the run found is pinned in {@link ReceiverLaneTest}: a send withdrawn while it was starting was made after
 * the withdrawal ({@code aSendWithdrawnWhileItIsStartingIsNeverMadeAfterTheWithdrawal}), and a Hub Client Info copy
 * of a partition that stays was withdrawn with the newer copy of a moving partition that had replaced it
 * ({@code aCopyFromAPartitionThatStaysIsNotWithdrawnWithANewerCopyFromOneThatMoves}). {@code
 * -DwithdrawStress.verbose=true} prints what each run did.
 */
class ReceiverLaneWithdrawStressTest {

    private static final UUID PLATFORM = UUID.randomUUID();
    private static final PartyId R1 = PartyId.of("NL", "MSP");
    private static final PartyId R2 = PartyId.of("BE", "MSP");
    private static final int PARTITIONS = 3;
    private static final int OWNERS = 6;
    /** The last owners change status often and push less data: their Hub Client Info copies wait together. */
    private static final int STATUS_HEAVY = 2;
    /** Pushes accepted, over all partitions (a Hub Client Info change counts once and has a copy in each). */
    private static final int EVENTS = 1200;
    /** The withdrawer goes on at least this long, after the submitters too if they finished first. */
    private static final int MIN_WITHDRAWALS = 20;
    /** Deliveries waiting in the lane above which a partition's thread slows down (up to 2 ms per record). */
    private static final int BEHIND = 40;
    private static final String UNEXPECTED = "the delivery failed unexpectedly";
    /** Generous: a healthy run ends in well under a second; only a lost wake-up gets near it. */
    private static final long LIVENESS_SECONDS = 30;

    private static final DeliveryClient.Result OK = new DeliveryClient.Result(DeliveryOutcome.DELIVERED, 1, null);
    private static final DeliveryClient.Result REFUSED = new DeliveryClient.Result(DeliveryOutcome.FAILED, 1,
            "refused by the receiver");
    private static final DeliveryClient.Result DOWN = new DeliveryClient.Result(DeliveryOutcome.FAILED, 4, "down",
            null, null, null, true);

    static Stream<Arguments> configs() {
        // seed, in-flight limit, capacity, conflation
        return Stream.of(
                Arguments.of(101L, 1, 100_000, true),
                Arguments.of(102L, 4, 100_000, true),
                Arguments.of(103L, 16, 100_000, true),
                Arguments.of(104L, 1, 100_000, false),
                Arguments.of(105L, 4, 100_000, false),
                Arguments.of(106L, 16, 100_000, false),
                Arguments.of(107L, 4, 40, true),
                Arguments.of(108L, 2, 100_000, true),
                Arguments.of(109L, 16, 60, false));
    }

    @ParameterizedTest(name = "seed {0}: in flight {1}, capacity {2}, conflation {3}")
    @MethodSource("configs")
    void everyDeliveryEndsOnceAndNoneIsSentOnceItsPartitionWasWithdrawn(long seed, int limit, int capacity,
                                                                        boolean conflation) throws Exception {
        Run run = new Run(seed, limit, capacity, conflation);
        run.execute(workload(seed));
        Map<String, List<String>> violations = run.check();
        if (Boolean.getBoolean("withdrawStress.verbose")) {
            System.out.println("seed " + seed + ": " + run.describe());
        }
        assertThat(violations.keySet()).as("seed %d, in flight %d, capacity %d, conflation %s: %s", seed, limit,
                capacity, conflation, run.describe()).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------------
    // one run

    /** One submitted delivery as the test knows it. */
    private static final class Info {
        final Delivery delivery;
        final PartitionOwnership ownership;
        /** Its ownership was already revoked when it was submitted. */
        final boolean revokedAtSubmit;
        final String key;
        final AtomicInteger signals = new AtomicInteger();
        volatile DeliveryClient.Result result;
        /** Its ownership was revoked when its result came. */
        volatile boolean revokedAtResult;
        volatile Throwable error;
        /** The sends of its own delivery (guarded by the run's monitor): at most one. */
        final List<Send> sends = new ArrayList<>(1);

        Info(Delivery delivery, PartitionOwnership ownership, boolean revokedAtSubmit) {
            this.delivery = delivery;
            this.ownership = ownership;
            this.revokedAtSubmit = revokedAtSubmit;
            this.key = delivery.record().objectKey() + "|" + delivery.receiver();
        }

        @Override
        public String toString() {
            BroadcastRecord r = delivery.record();
            return r.id() + " " + r.method() + " " + r.suffix() + (r.version() > 0 ? " v" + r.version() : "")
                    + " to " + delivery.receiver() + " (partition " + ownership.partition() + ")";
        }
    }

    /** One call of the sender. */
    private static final class Send {
        final Info info;
        final boolean revokedAtStart;
        boolean ended;
        boolean cancelled;
        /** What the sender answered; null for an error, nothing, or a cancelled send. */
        DeliveryClient.Result answer;

        Send(Info info, boolean revokedAtStart) {
            this.info = info;
            this.revokedAtStart = revokedAtStart;
        }
    }

    private static final class Run {
        final long seed;
        final int limit;
        final int capacity;
        final boolean conflation;
        final ReceiverLane lane;
        final ScheduledExecutorService completions = Executors.newScheduledThreadPool(2);
        final Map<Delivery, Info> infos = Collections.synchronizedMap(new IdentityHashMap<>());
        final AtomicReferenceArray<PartitionOwnership> current = new AtomicReferenceArray<>(PARTITIONS);
        final List<PartitionOwnership> ownerships = new CopyOnWriteArrayList<>();
        /** Ownerships whose {@code withdraw} returned. */
        final Set<PartitionOwnership> withdrawn = ConcurrentHashMap.newKeySet();
        /** Sends that never end by themselves: ended when cancelled, or at the end of the run. */
        final Queue<Runnable> hanging = new ConcurrentLinkedQueue<>();
        volatile boolean draining;
        final List<Throwable> threadFailures = new CopyOnWriteArrayList<>();
        final Map<String, List<String>> violations = new LinkedHashMap<>();
        final Set<String> active = new HashSet<>();
        final List<Send> sends = new ArrayList<>();
        int withdrawals;
        int cancelledByWithdraw;
        int startedAfterRevocation;

        Run(long seed, int limit, int capacity, boolean conflation) {
            this.seed = seed;
            this.limit = limit;
            this.capacity = capacity;
            this.conflation = conflation;
            this.lane = new ReceiverLane(this::send, limit, capacity, conflation);
            for (int p = 0; p < PARTITIONS; p++) {
                assign(p);
            }
        }

        private void assign(int partition) {
            PartitionOwnership fresh = new PartitionOwnership(partition, 0);
            ownerships.add(fresh);
            current.set(partition, fresh);
        }

        synchronized void violation(String kind, String detail) {
            violations.computeIfAbsent(kind, k -> new ArrayList<>()).add(detail);
        }

        // ---- the sender

        Mono<DeliveryClient.Result> send(ReceiverLane.Job job) {
            Send s = onStart(job);
            Delivery d = job.delivery();
            Random random = new Random(seed * 1_000_003L + d.record().id().hashCode() * 31L + d.receiver().hashCode()
                    + (job.current() ? 17 : 0));
            boolean data = d.record().module() != ModuleId.HUB_CLIENT_INFO;
            int kind = random.nextInt(100);
            if (kind < 12) { // ends at once, on the sending thread
                return Mono.fromSupplier(() -> {
                    onEnd(s, OK, false);
                    return OK;
                });
            }
            if (kind < 14) {
                return Mono.defer(() -> {
                    onEnd(s, null, false);
                    return Mono.error(new IllegalStateException("sender failed"));
                });
            }
            if (kind < 15) {
                return Mono.defer(() -> {
                    onEnd(s, null, false);
                    return Mono.empty();
                });
            }
            // the receiver down (data only: a Hub Client Info copy that is down comes back as a row, kept for it)
            DeliveryClient.Result answer = kind < 22 && data ? DOWN : kind < 26 ? REFUSED : OK;
            Sinks.One<DeliveryClient.Result> end = Sinks.one();
            Runnable finish = () -> {
                onEnd(s, answer, false); // before the lane hears: the object's next may start at once
                end.tryEmitValue(answer);
            };
            Mono<DeliveryClient.Result> result = end.asMono().doOnCancel(() -> onEnd(s, null, true));
            if (kind < 16 && !draining) { // a receiver that hangs: only a withdrawal (or the run's end) ends it
                hanging.add(finish);
            } else if (kind < 60) {
                completions.execute(finish);
            } else {
                completions.schedule(finish, 1 + random.nextInt(300), TimeUnit.MICROSECONDS);
            }
            return result;
        }

        synchronized Send onStart(ReceiverLane.Job job) {
            Info info = infos.get(job.delivery());
            if (info == null) {
                violation("UNKNOWN_DELIVERY_SENT", String.valueOf(job.delivery()));
                throw new IllegalStateException("unknown delivery");
            }
            Send s = new Send(info, info.ownership.revoked());
            if (s.revokedAtStart) {
                startedAfterRevocation++;
            }
            if (withdrawn.contains(info.ownership)) {
                violation("SENT_AFTER_WITHDRAWAL", info + ": sent after withdraw() returned for its ownership");
            }
            if (info.revokedAtSubmit) {
                violation("SENT_THOUGH_SUBMITTED_REVOKED", info.toString());
            }
            if (!info.sends.isEmpty()) {
                violation("SENT_TWICE", info.toString());
            }
            info.sends.add(s);
            sends.add(s);
            if (!active.add(info.key)) {
                violation("SAME_OBJECT_OVERLAP", info + " started while another send of " + info.key
                        + " was on the wire");
            }
            return s;
        }

        synchronized void onEnd(Send s, DeliveryClient.Result answer, boolean cancelled) {
            if (s.ended) {
                return; // a late answer to a cancelled send, or the other way round
            }
            s.ended = true;
            s.answer = answer;
            s.cancelled = cancelled;
            active.remove(s.info.key);
        }

        // ---- the threads

        void execute(List<List<Step>> streams) throws InterruptedException {
            int total = streams.stream().flatMap(List::stream).mapToInt(s -> s.receivers.size()).sum();
            CountDownLatch results = new CountDownLatch(total);
            CountDownLatch go = new CountDownLatch(1);
            CountDownLatch submitted = new CountDownLatch(PARTITIONS);
            List<Thread> threads = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                int partition = p;
                List<Step> steps = streams.get(p);
                threads.add(new Thread(() -> {
                    try {
                        go.await();
                        for (Step step : steps) {
                            // pacing, not synchronisation: a lane far behind mostly withdraws, so let it send some
                            for (int n = 0; lane.waiting() > BEHIND && n < 40; n++) {
                                LockSupport.parkNanos(50_000);
                            }
                            PartitionOwnership ownership = current.get(partition);
                            boolean revoked = ownership.revoked();
                            for (PartyId receiver : step.receivers) {
                                Delivery d = new Delivery(step.record, PLATFORM, receiver);
                                Info info = new Info(d, ownership, revoked);
                                infos.put(d, info); // before: the lane may send it from inside submit
                                lane.submit(d, step.stored, ownership).subscribe(r -> {
                                    info.revokedAtResult = ownership.revoked(); // before its result, if withdrawn
                                    info.result = r;
                                    if (info.signals.incrementAndGet() == 1) {
                                        results.countDown();
                                    }
                                }, e -> {
                                    info.error = e;
                                    if (info.signals.incrementAndGet() == 1) {
                                        results.countDown();
                                    }
                                });
                            }
                            if (step.pauseMicros > 0) {
                                LockSupport.parkNanos(step.pauseMicros * 1000L); // pacing, not synchronisation
                            }
                        }
                    } catch (Throwable e) {
                        threadFailures.add(e);
                    } finally {
                        submitted.countDown();
                    }
                }, "partition-" + p));
            }
            threads.add(new Thread(() -> {
                try {
                    go.await();
                    withdrawals(submitted);
                } catch (Throwable e) {
                    threadFailures.add(e);
                }
            }, "withdrawer"));
            threads.forEach(Thread::start);
            go.countDown();
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(LIVENESS_SECONDS));
                if (t.isAlive()) {
                    violation("THREAD_STUCK", t.getName());
                }
            }
            // the end: whatever still hangs is answered (and sends that start from now on end by themselves)
            draining = true;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LIVENESS_SECONDS);
            boolean all = false;
            while (!all && System.nanoTime() - deadline < 0) {
                for (Runnable finish; (finish = hanging.poll()) != null; ) {
                    finish.run();
                }
                all = results.await(10, TimeUnit.MILLISECONDS);
            }
            for (Runnable finish; (finish = hanging.poll()) != null; ) {
                finish.run();
            }
            completions.shutdown();
            if (!completions.awaitTermination(LIVENESS_SECONDS, TimeUnit.SECONDS)) {
                violation("SENDER_DID_NOT_FINISH", "completion executor still busy");
            }
            if (!all) {
                List<String> open = infos.values().stream().filter(i -> i.signals.get() == 0).limit(10)
                        .map(Info::toString).toList();
                violation("NEVER_ENDED", results.getCount() + " of " + total + " deliveries have no result after "
                        + LIVENESS_SECONDS + " s (waiting " + lane.waiting() + ", in flight " + lane.inFlight()
                        + "): " + open);
            }
            threadFailures.forEach(e -> violation("THREAD_FAILED", e.toString()));
        }

        /** Revokes and withdraws at random moments until the submitters are done, and at least so many times. */
        private void withdrawals(CountDownLatch submitted) {
            Random random = new Random(seed * 7919 + 1);
            int done = 0;
            while (submitted.getCount() > 0 || done < MIN_WITHDRAWALS) {
                LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(300 + random.nextInt(1200))); // pacing
                int a = random.nextInt(PARTITIONS);
                List<Integer> partitions = random.nextInt(4) == 0
                        ? List.of(a, (a + 1 + random.nextInt(PARTITIONS - 1)) % PARTITIONS) : List.of(a);
                List<PartitionOwnership> moving = new ArrayList<>();
                for (int p : partitions) {
                    PartitionOwnership ownership = current.get(p);
                    ownership.revoke();
                    moving.add(ownership);
                }
                if (random.nextBoolean()) {
                    Thread.yield(); // sends about to start see the revocation, submissions too
                }
                int cancelled = lane.withdraw(Set.copyOf(moving));
                withdrawn.addAll(moving);
                synchronized (this) {
                    cancelledByWithdraw += cancelled;
                    withdrawals++;
                }
                if (random.nextBoolean()) {
                    Thread.yield(); // submissions may still carry the revoked ownership
                }
                partitions.forEach(this::assign); // the partitions come back (a re-assignment)
                done++;
            }
        }

        // ---- the checks after the run

        synchronized Map<String, List<String>> check() throws Exception {
            for (Info i : infos.values()) {
                DeliveryClient.Result r = i.result;
                if (i.signals.get() != 1) {
                    violation("RESULT_SIGNALS", i + " signalled " + i.signals.get() + " times");
                }
                if (i.error != null) {
                    violation("RESULT_ERROR", i + ": " + i.error);
                }
                if (r == null) {
                    continue;
                }
                boolean withdrawnResult = ReceiverLane.withdrawn(r);
                if (withdrawnResult && !i.revokedAtResult) {
                    violation("WITHDRAWN_THOUGH_HELD", i + " ended withdrawn while its partition stays: its record"
                            + " would never be acknowledged");
                }
                if (i.revokedAtSubmit && !withdrawnResult) {
                    violation("NOT_WITHDRAWN_AFTER_REVOCATION", i + " got " + r);
                }
                if (r.outcome() == DeliveryOutcome.CONFLATED && !conflation) {
                    violation("CONFLATED_WITHOUT_CONFLATION", i.toString());
                }
                for (Send s : i.sends) {
                    if (s.cancelled && !withdrawnResult) {
                        violation("CANCELLED_NOT_WITHDRAWN", i + " got " + r);
                    }
                    boolean senders = s.answer != null ? r.equals(s.answer)
                            : r.outcome() == DeliveryOutcome.FAILED && UNEXPECTED.equals(r.error());
                    if (s.ended && !s.cancelled && !senders && !withdrawnResult) {
                        violation("RESULT_NOT_THE_SENDERS", i + " got " + r + ", the sender said " + s.answer);
                    }
                }
            }
            for (Send s : sends) {
                if (!s.ended) {
                    violation("SEND_LEFT_RUNNING", s.info.toString());
                }
            }
            if (lane.waiting() != 0 || lane.inFlight() != 0 || lane.superseded() != 0) {
                violation("END_COUNTERS", "waiting " + lane.waiting() + ", in flight " + lane.inFlight()
                        + ", superseded " + lane.superseded());
            }
            if (lane.bookkeeping() != 0) {
                violation("END_STATE_KEPT", "bookkeeping() is " + lane.bookkeeping());
            }
            // every map and queue the lane holds, and its set of sends, is empty once everything ended
            synchronized (lane) {
                for (Field f : ReceiverLane.class.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    f.setAccessible(true);
                    Object value = f.get(lane);
                    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
                        violation("END_STATE_KEPT", f.getName() + " keeps " + map.size() + " entries");
                    } else if (value instanceof Collection<?> c && !c.isEmpty()) {
                        violation("END_STATE_KEPT", f.getName() + " keeps " + c.size() + " jobs");
                    } else if (value instanceof AtomicInteger n && n.get() != 0) {
                        violation("END_STATE_KEPT", f.getName() + " is " + n.get());
                    } else if (value instanceof Disposable.Composite d && d.size() != 0) {
                        violation("END_STATE_KEPT", f.getName() + " keeps " + d.size() + " sends");
                    }
                }
            }
            for (PartitionOwnership o : ownerships) {
                if (o.onTheWire() != 0) {
                    violation("ON_THE_WIRE_AT_END", "partition " + o.partition() + ": " + o.onTheWire());
                }
            }
            return violations;
        }

        synchronized String describe() {
            long withdrawnResults = infos.values().stream().filter(i -> i.result != null
                    && ReceiverLane.withdrawn(i.result)).count();
            long conflated = infos.values().stream().filter(i -> i.result != null
                    && i.result.outcome() == DeliveryOutcome.CONFLATED).count();
            StringBuilder b = new StringBuilder().append(infos.size()).append(" deliveries, ").append(sends.size())
                    .append(" sends, ").append(withdrawals).append(" withdrawals, ").append(withdrawnResults)
                    .append(" withdrawn, ").append(cancelledByWithdraw).append(" sends cancelled, ")
                    .append(conflated).append(" conflated, ").append(startedAfterRevocation)
                    .append(" sends started between a revocation and its withdrawal");
            if (violations.isEmpty()) {
                return b.append("; no violation").toString();
            }
            b.append("; violations:");
            violations.forEach((kind, list) -> {
                b.append("\n  ").append(kind).append(" x").append(list.size());
                list.stream().limit(3).forEach(v -> b.append("\n      e.g. ").append(v));
            });
            return b.toString();
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // the workload

    private record Step(BroadcastRecord record, boolean stored, List<PartyId> receivers, int pauseMicros) {
    }

    /**
     * Per partition its records in log order, the same for one seed: each owner's data in its home partition, each
     * versioned Hub Client Info change copied into every partition at the same place among the others.
     */
    private static List<List<Step>> workload(long seed) {
        Random random = new Random(seed);
        List<List<Step>> streams = new ArrayList<>();
        int[] burst = new int[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            streams.add(new ArrayList<>());
        }
        List<PartyId> owners = new ArrayList<>();
        for (int o = 0; o < OWNERS; o++) {
            owners.add(PartyId.of(o % 2 == 0 ? "NL" : "DE", "C" + o));
        }
        long[] versions = new long[OWNERS];
        for (int n = 0; n < EVENTS; n++) {
            int o = random.nextInt(OWNERS);
            PartyId owner = owners.get(o);
            String id = "s" + seed + "-" + n;
            int r = random.nextInt(100);
            List<PartyId> receivers = r < 70 ? List.of(R1, R2) : r < 85 ? List.of(R1) : List.of(R2);
            int kind = random.nextInt(100);
            if (kind < 8 || o >= OWNERS - STATUS_HEAVY && kind < 60) {
                long version = ++versions[o];
                String status = random.nextBoolean() ? "CONNECTED" : "SUSPENDED";
                for (int p = 0; p < PARTITIONS; p++) {
                    BroadcastRecord copy = clientInfo(id + "-p" + p, owner, status).withCopies(PARTITIONS)
                            .withVersion(version);
                    streams.get(p).add(new Step(copy, false, receivers, pause(random, burst, p)));
                }
                continue;
            }
            BroadcastRecord record;
            boolean stored;
            int partition;
            if (kind < 10) {
                record = clientInfo(id, owner, "PLANNED"); // written once, without a version
                stored = false;
                partition = Math.floorMod(owner.toString().hashCode(), PARTITIONS);
            } else {
                String location = "LOC" + random.nextInt(3);
                partition = Math.floorMod((owner + "/" + location).hashCode(), PARTITIONS); // keyed by object
                String suffix = "/" + owner.countryCode() + "/" + owner.partyId() + "/" + location;
                int level = random.nextInt(100);
                String method;
                if (level < 40) {
                    method = random.nextInt(100) < 60 ? "PUT" : "PATCH";
                } else if (level < 80) {
                    suffix += "/EVSE" + random.nextInt(2);
                    method = random.nextInt(100) < 25 ? "PUT" : "PATCH";
                } else {
                    suffix += "/EVSE" + random.nextInt(2) + "/" + random.nextInt(2);
                    method = random.nextInt(100) < 20 ? "PUT" : "PATCH";
                }
                record = location(id, method, owner, suffix);
                stored = random.nextInt(100) < 75;
            }
            streams.get(partition).add(new Step(record, stored, receivers, pause(random, burst, partition)));
        }
        return streams;
    }

    /** Now and then a partition's thread pauses a little, so that the lane drains and withdrawals fall in between. */
    private static int pause(Random random, int[] burst, int partition) {
        if (--burst[partition] > 0) {
            return 0;
        }
        burst[partition] = 1 + random.nextInt(20);
        return random.nextInt(100) < 70 ? random.nextInt(1000) : 0;
    }

    private static BroadcastRecord location(String id, String method, PartyId owner, String suffix) {
        return new BroadcastRecord(id, "corr-" + id, ModuleId.LOCATIONS, method, owner, Role.CPO,
                UUID.nameUUIDFromBytes(owner.toString().getBytes(StandardCharsets.UTF_8)), suffix, null,
                "{}".getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
    }

    private static BroadcastRecord clientInfo(String id, PartyId party, String status) {
        return new BroadcastRecord(id, "corr-" + id, ModuleId.HUB_CLIENT_INFO, "PUT", party, Role.CPO, null,
                "/" + party.countryCode() + "/" + party.partyId(), null,
                ("{\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
    }
}
