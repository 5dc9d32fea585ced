package org.ocpihub.broadcast.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
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
 * {@link ReceiverLane} under load: several threads submit (each owns some data owners, as a Kafka partition owns its
 * owners, so one owner's acceptance order is its thread's order) while a sender ends deliveries on other threads after
 * random short delays (some at once, some with an error or empty). Everything the sender saw is recorded with a
 * logical clock and checked against the lane's contract:
 * <ul>
 *   <li>never more than the limit in flight; never two of one object + receiving party at once;</li>
 *   <li>per object + party, what starts carries pushes in acceptance order (conflated ones skipped);</li>
 *   <li>Hub Client Info keeps its place among its party's data, including what conflation carries
 *       ({@link ReceiverLane.Job#covers()}) or replaces;</li>
 *   <li>every submitted delivery's result comes exactly once: the sender's result, FAILED (backlog full, never sent),
 *       or CONFLATED (and then a started delivery carries it, or a later whole PUT/DELETE of it supersedes it), or
 *       FAILED with the delivery that carried it;</li>
 *   <li>at the end nothing waits, nothing is in flight and the lane's bookkeeping is empty.</li>
 * </ul>
 * The deterministic tests at the end pin each contract breach the stress run found to its shortest input.
 */
class ReceiverLaneStressTest {

    private static final UUID PLATFORM = UUID.randomUUID();
    private static final PartyId R1 = PartyId.of("NL", "MSP");
    private static final PartyId R2 = PartyId.of("BE", "MSP");
    private static final int THREADS = 4;
    private static final int OWNERS_PER_THREAD = 2;
    private static final String BACKLOG_FULL = "receiver backlog full";
    private static final String UNEXPECTED = "the delivery failed unexpectedly";
    /** Generous: a healthy run ends in well under a second; only a lost wake-up gets near it. */
    private static final long LIVENESS_SECONDS = 30;

    static Stream<Arguments> configs() {
        // seed, in-flight limit, capacity, conflation, records per submitting thread
        return Stream.of(
                Arguments.of(1L, 1, 100_000, true, 700),
                Arguments.of(2L, 4, 100_000, true, 700),
                Arguments.of(3L, 16, 100_000, true, 700),
                Arguments.of(4L, 3, 100_000, true, 700),
                Arguments.of(5L, 2, 12, true, 700),
                Arguments.of(6L, 1, 100_000, false, 500),
                Arguments.of(7L, 4, 100_000, false, 700),
                Arguments.of(8L, 16, 30, false, 700));
    }

    @ParameterizedTest(name = "seed {0}: in flight {1}, capacity {2}, conflation {3}")
    @MethodSource("configs")
    void theLaneKeepsItsContractUnderConcurrentSubmissionsAndCompletions(long seed, int limit, int capacity,
                                                                          boolean conflation, int records)
            throws Exception {
        Run run = new Run(seed, limit, capacity, conflation);
        run.execute(workload(seed, records));
        Map<String, List<String>> violations = run.check();
        assertThat(violations.keySet()).as("seed %d, in flight %d, capacity %d, conflation %s: %s (%d deliveries, %d started, "
                        + "%d conflated, %d refused)", seed, limit, capacity, conflation, describe(violations),
                run.infos.size(), run.started.size(), run.count(DeliveryOutcome.CONFLATED), run.refused())
                .isEmpty();
    }

    // ------------------------------------------------------------------------------------------------------------
    // one run

    /** One submitted delivery as the test knows it. */
    private static final class Info {
        final Delivery delivery;
        final PartyId owner;
        /** Acceptance order among its owner's deliveries (its thread submits them in this order). */
        final int order;
        final String key;
        final boolean stored;
        final boolean clientInfo;
        final AtomicInteger signals = new AtomicInteger();
        volatile DeliveryClient.Result result;
        volatile Throwable error;
        /** The started job whose own delivery this is (guarded by the run's monitor). */
        Started sentBy;
        /** The started jobs that carry it in {@link Started#carried} (guarded by the run's monitor). */
        final List<Started> carriedBy = new ArrayList<>(1);

        Info(Delivery delivery, int order, boolean stored) {
            this.delivery = delivery;
            this.owner = delivery.record().owner();
            this.order = order;
            this.key = delivery.record().objectKey() + "|" + delivery.receiver();
            this.stored = stored;
            this.clientInfo = delivery.record().module() == ModuleId.HUB_CLIENT_INFO;
        }

        BroadcastRecord record() {
            return delivery.record();
        }

        boolean refused() {
            DeliveryClient.Result r = result;
            return r != null && r.outcome() == DeliveryOutcome.FAILED && r.error() != null
                    && r.error().startsWith(BACKLOG_FULL);
        }

        boolean storable() {
            BroadcastRecord r = record();
            return stored && r.query() == null && (r.module() == ModuleId.LOCATIONS || r.module() == ModuleId.TARIFFS);
        }

        @Override
        public String toString() {
            return "#" + order + " " + record().method() + " " + record().suffix()
                    + (record().query() == null ? "" : "?" + record().query()) + (stored ? " stored" : "") + " to "
                    + delivery.receiver();
        }
    }

    /** One job the sender was asked to send. */
    private static final class Started {
        final int id;
        final ReceiverLane.Job job;
        final Info own;
        final boolean current;
        final List<Info> carried;
        final List<Delivery> coversAtStart;
        final long startTick;
        long endTick = Long.MAX_VALUE;
        /** What the sender answered; null when it answered an error or nothing (the lane then says FAILED). */
        DeliveryClient.Result returned;
        final AtomicInteger subscriptions = new AtomicInteger();

        Started(int id, ReceiverLane.Job job, Info own, List<Info> carried, long startTick) {
            this.id = id;
            this.job = job;
            this.own = own;
            this.current = job.current();
            this.carried = carried;
            this.coversAtStart = List.copyOf(job.covers());
            this.startTick = startTick;
        }

        boolean carriesAfter(int order) {
            return carried.stream().anyMatch(i -> i.order > order);
        }

        boolean carriesBefore(int order) {
            return carried.stream().anyMatch(i -> i.order < order);
        }

        @Override
        public String toString() {
            return (current ? "CURRENT[" + carried + "]" : own.toString()) + " started@" + startTick + " ended@"
                    + (endTick == Long.MAX_VALUE ? "never" : endTick);
        }
    }

    private static final class Run {
        final long seed;
        final int limit;
        final int capacity;
        final boolean conflation;
        final ReceiverLane lane;
        final ScheduledExecutorService completions = Executors.newScheduledThreadPool(3);
        final Map<Delivery, Info> infos = new ConcurrentHashMap<>();
        final Map<ReceiverLane.Job, Started> started = new IdentityHashMap<>();
        final Map<String, List<String>> violations = new LinkedHashMap<>();
        final Set<String> activeKeys = new HashSet<>();
        final Map<String, Integer> lastCarriedByKey = new HashMap<>();
        final List<Throwable> threadFailures = new CopyOnWriteArrayList<>();
        long clock;
        int inFlightNow;
        int maxInFlight;

        Run(long seed, int limit, int capacity, boolean conflation) {
            this.seed = seed;
            this.limit = limit;
            this.capacity = capacity;
            this.conflation = conflation;
            this.lane = new ReceiverLane(this::send, limit, capacity, conflation);
        }

        synchronized void violation(String kind, String detail) {
            violations.computeIfAbsent(kind, k -> new ArrayList<>()).add(detail);
        }

        // ---- the sender

        Mono<DeliveryClient.Result> send(ReceiverLane.Job job) {
            Started s = onStart(job);
            Delivery d = job.delivery();
            Random random = new Random(seed * 1_000_003L + d.record().id().hashCode() * 31L + d.receiver().hashCode()
                    + (job.current() ? 17 : 0));
            int kind = random.nextInt(100);
            DeliveryClient.Result ok = new DeliveryClient.Result(DeliveryOutcome.DELIVERED, 1, "job " + s.id);
            if (kind < 15) { // ends at once, on the sending thread
                return Mono.fromSupplier(() -> {
                    onEnd(s, ok);
                    return ok;
                }).doOnSubscribe(x -> s.subscriptions.incrementAndGet());
            }
            if (kind < 17) {
                return Mono.<DeliveryClient.Result>defer(() -> {
                    onEnd(s, null);
                    return Mono.error(new IllegalStateException("sender failed"));
                }).doOnSubscribe(x -> s.subscriptions.incrementAndGet());
            }
            if (kind < 18) {
                return Mono.<DeliveryClient.Result>defer(() -> {
                    onEnd(s, null);
                    return Mono.empty();
                }).doOnSubscribe(x -> s.subscriptions.incrementAndGet());
            }
            Sinks.One<DeliveryClient.Result> end = Sinks.one();
            boolean fails = kind < 21;
            Runnable finish = () -> {
                onEnd(s, fails ? null : ok);
                if (fails) {
                    end.tryEmitError(new IllegalStateException("receiver failed"));
                } else {
                    end.tryEmitValue(ok);
                }
            };
            if (kind < 60) {
                completions.execute(finish);
            } else {
                completions.schedule(finish, 1 + random.nextInt(300), TimeUnit.MICROSECONDS);
            }
            return end.asMono().doOnSubscribe(x -> s.subscriptions.incrementAndGet());
        }

        synchronized Started onStart(ReceiverLane.Job job) {
            long tick = ++clock;
            Info own = infos.get(job.delivery());
            if (own == null) {
                violation("UNKNOWN_DELIVERY_SENT", String.valueOf(job.delivery()));
                throw new IllegalStateException("unknown delivery");
            }
            List<Info> carried = new ArrayList<>();
            if (job.current()) {
                for (Delivery d : job.covers()) {
                    Info i = infos.get(d);
                    if (i == null) {
                        violation("UNKNOWN_DELIVERY_COVERED", String.valueOf(d));
                    } else {
                        carried.add(i);
                    }
                }
                if (!conflation) {
                    violation("CURRENT_STATE_WITHOUT_CONFLATION", own.toString());
                }
            } else {
                carried.add(own);
            }
            Started s = new Started(started.size(), job, own, carried, tick);
            if (started.put(job, s) != null) {
                violation("STARTED_TWICE", own.toString());
            }
            if (own.sentBy != null) {
                violation("DELIVERY_SENT_TWICE", own.toString());
            }
            own.sentBy = s;
            for (Info i : carried) {
                i.carriedBy.add(s);
            }
            inFlightNow++;
            maxInFlight = Math.max(maxInFlight, inFlightNow);
            if (inFlightNow > limit) {
                violation("IN_FLIGHT_OVER_LIMIT", inFlightNow + " > " + limit + " when " + own + " started");
            }
            if (!activeKeys.add(own.key)) {
                violation("SAME_OBJECT_OVERLAP", own + " started while another delivery of " + own.key
                        + " was in flight");
            }
            int min = carried.stream().mapToInt(i -> i.order).min().orElse(own.order);
            int max = carried.stream().mapToInt(i -> i.order).max().orElse(own.order);
            Integer last = lastCarriedByKey.put(own.key, max);
            if (last != null && min <= last) {
                violation("OBJECT_ORDER", s + " carries #" + min + " after #" + last + " of " + own.key
                        + " already started");
            }
            return s;
        }

        synchronized void onEnd(Started s, DeliveryClient.Result result) {
            if (s.endTick != Long.MAX_VALUE) {
                violation("ENDED_TWICE", s.toString());
            }
            s.endTick = ++clock;
            s.returned = result;
            inFlightNow--;
            activeKeys.remove(s.own.key);
        }

        // ---- the submitters

        void execute(List<List<Step>> workload) throws InterruptedException {
            int total = workload.stream().flatMap(List::stream).mapToInt(s -> s.receivers.size()).sum();
            CountDownLatch results = new CountDownLatch(total);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (List<Step> steps : workload) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        Map<PartyId, Integer> orders = new HashMap<>();
                        for (Step step : steps) {
                            for (PartyId receiver : step.receivers) {
                                Delivery d = new Delivery(step.record, PLATFORM, receiver);
                                int order = orders.merge(step.record.owner(), 1, Integer::sum);
                                Info info = new Info(d, order, step.stored);
                                infos.put(d, info);
                                Mono<DeliveryClient.Result> result = lane.submit(d, step.stored);
                                int waiting = lane.waiting();
                                if (waiting > capacity) {
                                    violation("WAITING_OVER_CAPACITY", waiting + " > " + capacity);
                                }
                                result.subscribe(r -> {
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
                                LockSupport.parkNanos(step.pauseMicros * 1000L); // lets the lane drain a little
                            }
                        }
                    } catch (Throwable e) {
                        threadFailures.add(e);
                    }
                }, "submitter-" + threads.size());
                threads.add(t);
                t.start();
            }
            go.countDown();
            boolean all = results.await(LIVENESS_SECONDS, TimeUnit.SECONDS);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(LIVENESS_SECONDS));
            }
            completions.shutdown();
            if (!completions.awaitTermination(LIVENESS_SECONDS, TimeUnit.SECONDS)) {
                violation("SENDER_DID_NOT_FINISH", "completion executor still busy");
            }
            if (!all) {
                List<Info> open = infos.values().stream().filter(i -> i.signals.get() == 0)
                        .sorted(Comparator.comparingInt(i -> i.order)).toList();
                violation("NEVER_ENDED", open.size() + " of " + total + " deliveries have no result after "
                        + LIVENESS_SECONDS + " s (waiting " + lane.waiting() + ", in flight " + lane.inFlight()
                        + "): " + open.stream().limit(10).map(Info::toString).toList());
            }
            threadFailures.forEach(e -> violation("SUBMITTER_FAILED", e.toString()));
        }

        // ---- the checks after the run

        synchronized Map<String, List<String>> check() throws Exception {
            checkResults();
            checkCovers();
            checkConflatedAreCarried();
            checkClientInfoFences();
            checkEndState();
            return violations;
        }

        long count(DeliveryOutcome outcome) {
            return infos.values().stream().filter(i -> i.result != null && i.result.outcome() == outcome).count();
        }

        long refused() {
            return infos.values().stream().filter(Info::refused).count();
        }

        private void checkResults() {
            for (Info i : infos.values()) {
                if (i.signals.get() != 1) {
                    violation("RESULT_SIGNALS", i + " signalled " + i.signals.get() + " times");
                }
                if (i.error != null) {
                    violation("RESULT_ERROR", i + ": " + i.error);
                }
                if (i.result == null) {
                    continue;
                }
                if (i.refused()) {
                    if (i.sentBy != null || !i.carriedBy.isEmpty()) {
                        violation("REFUSED_BUT_SENT", i.toString());
                    }
                    continue;
                }
                if (i.sentBy != null) {
                    Started s = i.sentBy;
                    if (s.subscriptions.get() != 1) {
                        violation("SEND_SUBSCRIBED", s + " subscribed " + s.subscriptions.get() + " times");
                    }
                    if (s.endTick == Long.MAX_VALUE) {
                        violation("RESULT_BEFORE_END", i.toString());
                    }
                    boolean expected = s.returned != null ? i.result.equals(s.returned)
                            : i.result.outcome() == DeliveryOutcome.FAILED && UNEXPECTED.equals(i.result.error());
                    if (!expected) {
                        violation("RESULT_NOT_THE_SENDERS", i + " got " + i.result + ", sender said " + s.returned);
                    }
                } else if (i.result.outcome() != DeliveryOutcome.CONFLATED && !supersededByAFailure(i.result)) {
                    violation("NOT_SENT_NOT_CONFLATED", i + " got " + i.result);
                } else if (!conflation) {
                    violation("CONFLATED_WITHOUT_CONFLATION", i.toString());
                }
                if (i.carriedBy.size() > 1) {
                    violation("CARRIED_TWICE", i + " by " + i.carriedBy);
                }
            }
        }

        private void checkCovers() {
            for (Started s : started.values()) {
                List<Delivery> coversNow = s.job.covers();
                if (!coversNow.equals(s.coversAtStart)) {
                    violation("COVERS_CHANGED_AFTER_START", s + ": " + s.coversAtStart.size() + " then "
                            + coversNow.size());
                }
                if (!s.current) {
                    if (!s.coversAtStart.isEmpty()) {
                        violation("COVERS_ON_A_PLAIN_DELIVERY", s.toString());
                    }
                    continue;
                }
                List<Info> c = s.carried;
                if (c.isEmpty() || c.get(c.size() - 1) != s.own) {
                    violation("COVERS_OWN_NOT_LAST", "current-state job of " + s.own + " covers " + c.size()
                            + " deliveries, the last " + c.get(c.size() - 1) + " (Job#covers: 'its own last';"
                            + " ReceiverLanes sends the PUT with this job's delivery's ids as the latest push)");
                }
                for (int k = 0; k < c.size(); k++) {
                    Info i = c.get(k);
                    if (!i.key.equals(s.own.key)) {
                        violation("COVERS_OTHER_OBJECT", s.own + " covers " + i);
                    }
                    if (!i.storable()) {
                        violation("COVERS_NOT_STORABLE", s.own + " covers " + i);
                    }
                    if (k > 0 && c.get(k - 1).order >= i.order) {
                        violation("COVERS_ORDER", s.own + " covers " + c);
                    }
                    if (i != s.own && i.result != null && i.result.outcome() != DeliveryOutcome.CONFLATED
                            && !supersededByAFailure(i.result)) {
                        violation("COVERED_NOT_CONFLATED", i + " got " + i.result);
                    }
                }
            }
        }

        /** A CONFLATED delivery is carried by a started job, or superseded by a later whole PUT/DELETE that is. */
        private void checkConflatedAreCarried() {
            Map<String, List<Info>> byKey = infos.values().stream().filter(i -> !i.refused())
                    .collect(Collectors.groupingBy(i -> i.key));
            for (List<Info> chain : byKey.values()) {
                chain.sort(Comparator.comparingInt(i -> i.order));
                boolean[] carried = new boolean[chain.size()];
                for (int k = chain.size() - 1; k >= 0; k--) {
                    Info d = chain.get(k);
                    boolean ok = d.sentBy != null || !d.carriedBy.isEmpty();
                    for (int later = k + 1; !ok && later < chain.size(); later++) {
                        ok = carried[later] && supersedes(chain.get(later), d);
                    }
                    carried[k] = ok;
                    if (!ok) {
                        violation("CONFLATED_LOST", d + " got " + d.result
                                + ", yet no started delivery carries it or a later whole push of it");
                    }
                }
            }
        }

        /** A superseded delivery whose carrier failed fails with it (recorded for replay, not lost). */
        private static boolean supersededByAFailure(DeliveryClient.Result result) {
            return result.outcome() == DeliveryOutcome.FAILED && result.error() != null
                    && result.error().startsWith("superseded by a later push of the same object, whose delivery failed");
        }

        private static boolean supersedes(Info later, Info earlier) {
            BroadcastRecord r = later.record();
            BroadcastRecord e = earlier.record();
            return ("PUT".equals(r.method()) || "DELETE".equals(r.method()))
                    && (e.suffix().equals(r.suffix()) || e.suffix().startsWith(r.suffix() + "/"))
                    && Objects.equals(e.query(), r.query());
        }

        /**
         * Per owner (over both receiving parties): a Hub Client Info push h about X, or the later one that replaced
         * it, ends before any delivery carrying X's data accepted after h starts; it starts only after every delivery
         * carrying X's data accepted before it ended.
         */
        private void checkClientInfoFences() {
            Map<PartyId, List<Started>> dataByOwner = new HashMap<>();
            Map<String, List<Started>> clientInfoByKey = new HashMap<>();
            for (Started s : started.values()) {
                if (s.own.clientInfo) {
                    clientInfoByKey.computeIfAbsent(s.own.key, k -> new ArrayList<>()).add(s);
                } else {
                    dataByOwner.computeIfAbsent(s.own.owner, k -> new ArrayList<>()).add(s);
                }
            }
            clientInfoByKey.values().forEach(l -> l.sort(Comparator.comparingInt(s -> s.own.order)));
            for (Info h : infos.values()) {
                if (!h.clientInfo || h.refused()) {
                    continue;
                }
                Started carrier = clientInfoByKey.getOrDefault(h.key, List.of()).stream()
                        .filter(s -> s.own.order >= h.order).findFirst().orElse(null);
                if (carrier == null) {
                    violation("CLIENT_INFO_LOST", h + " is neither sent nor replaced by a later one that is");
                    continue;
                }
                Map<String, List<Started>> early = new LinkedHashMap<>();
                for (Started data : dataByOwner.getOrDefault(h.owner, List.of())) {
                    if (!data.carriesAfter(h.order) || data.startTick > carrier.endTick) {
                        continue;
                    }
                    String kind;
                    if (carrier.own != h) {
                        kind = "FENCE_LATER_DATA_PASSED_A_CONFLATED_CLIENT_INFO";
                    } else if (data.own.order > h.order) {
                        kind = "FENCE_LATER_DATA_STARTED_BEFORE_CLIENT_INFO_ENDED";
                    } else {
                        kind = "FENCE_LATER_PUSH_ABSORBED_INTO_AN_EARLIER_CURRENT_STATE_JOB";
                    }
                    early.computeIfAbsent(kind, k -> new ArrayList<>()).add(data);
                }
                early.forEach((kind, list) -> {
                    list.sort(Comparator.comparingLong(s -> s.startTick));
                    violation(kind, list.size() + " deliveries carrying data accepted after Hub Client Info " + h
                            + " (" + outcome(h) + ") started before " + carrier + " (which "
                            + (carrier.own == h ? "is it" : "replaced it") + ") ended, first " + list.get(0)
                            + "; Hub Client Info of " + h.key + " from #" + h.order + " to #" + carrier.own.order + ": "
                            + infos.values().stream().filter(i -> i.key.equals(h.key) && i.order >= h.order
                                    && i.order <= carrier.own.order).sorted(Comparator.comparingInt(i -> i.order))
                                    .map(i -> "#" + i.order + " " + outcome(i)).toList());
                });
            }
            for (List<Started> clientInfos : clientInfoByKey.values()) {
                for (Started h : clientInfos) {
                    Map<String, List<Started>> late = new LinkedHashMap<>();
                    for (Started data : dataByOwner.getOrDefault(h.own.owner, List.of())) {
                        if (!data.carriesBefore(h.own.order) || data.endTick < h.startTick) {
                            continue;
                        }
                        late.computeIfAbsent(data.own.order < h.own.order
                                ? "FENCE_EARLIER_CLIENT_INFO_STARTED_BEFORE_EARLIER_DATA_ENDED"
                                : "FENCE_EARLIER_PUSH_COVERED_BY_A_CURRENT_STATE_JOB_AFTER_THE_CLIENT_INFO",
                                k -> new ArrayList<>()).add(data);
                    }
                    late.forEach((kind, list) -> violation(kind, h + " started before " + list.size()
                            + " deliveries carrying data accepted before it ended, first " + list.get(0)));
                }
            }
        }

        private static String outcome(Info i) {
            return i.result == null ? "no result" : String.valueOf(i.result.outcome());
        }

    private void checkEndState() throws Exception {
            if (lane.waiting() != 0 || lane.inFlight() != 0) {
                violation("END_COUNTERS", "waiting " + lane.waiting() + ", in flight " + lane.inFlight());
            }
            if (inFlightNow != 0) {
                violation("END_SENDER_IN_FLIGHT", String.valueOf(inFlightNow));
            }
            if (lane.bookkeeping() != 0) {
                violation("END_STATE_KEPT", "bookkeeping() is " + lane.bookkeeping());
            }
            // every map and queue the lane holds, whatever it is called, is empty once everything ended
            synchronized (lane) {
                for (Field f : ReceiverLane.class.getDeclaredFields()) {
                    if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    f.setAccessible(true);
                    Object value = f.get(lane);
                    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
                        violation("END_STATE_KEPT", f.getName() + " keeps " + map.size() + " entries: "
                                + map.keySet().stream().limit(5).toList());
                    } else if (value instanceof Collection<?> c && !c.isEmpty()) {
                        violation("END_STATE_KEPT", f.getName() + " keeps " + c.size() + " jobs");
                    } else if (value instanceof AtomicInteger n && n.get() != 0) {
                        violation("END_STATE_KEPT", f.getName() + " is " + n.get());
                    } else if (value instanceof Disposable.Composite d && d.size() != 0) {
                        violation("END_STATE_KEPT", f.getName() + " keeps " + d.size());
                    }
                }
            }
        }

    }

    private static String describe(Map<String, List<String>> violations) {
        if (violations.isEmpty()) {
            return "no violation";
        }
        StringBuilder b = new StringBuilder("violations:");
        violations.forEach((kind, list) -> {
            b.append("\n  ").append(kind).append(" x").append(list.size());
            list.stream().limit(2).forEach(v -> b.append("\n      e.g. ").append(v));
        });
        return b.toString();
    }

    // ------------------------------------------------------------------------------------------------------------
    // the workload

    private record Step(BroadcastRecord record, boolean stored, List<PartyId> receivers, int pauseMicros) {
    }

    /** Per submitting thread its pushes, for its own owners only; the same for one seed. */
    private static List<List<Step>> workload(long seed, int recordsPerThread) {
        List<List<Step>> all = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(seed * 7919 + t);
            List<PartyId> owners = new ArrayList<>();
            for (int o = 0; o < OWNERS_PER_THREAD; o++) {
                owners.add(PartyId.of(o % 2 == 0 ? "NL" : "DE", "C" + (char) ('A' + t) + o));
            }
            List<Step> steps = new ArrayList<>();
            int burst = 0;
            for (int n = 0; n < recordsPerThread; n++) {
                PartyId owner = owners.get(random.nextInt(owners.size()));
                String id = "s" + seed + "-t" + t + "-" + n;
                int kind = random.nextInt(100);
                BroadcastRecord record;
                boolean stored;
                if (kind < 10) {
                    record = clientInfo(id, owner, random.nextBoolean() ? "CONNECTED" : "SUSPENDED");
                    stored = false;
                } else if (kind < 25) {
                    int m = random.nextInt(100);
                    String method = m < 55 ? "PUT" : m < 70 ? "DELETE" : "PATCH";
                    record = record(id, ModuleId.TARIFFS, method, owner, base(owner) + "/TAR" + random.nextInt(2),
                            null);
                    stored = random.nextInt(100) < 75;
                } else if (kind < 31) {
                    String method = random.nextInt(100) < 35 ? "PUT" : "PATCH";
                    record = record(id, ModuleId.TOKENS, method, owner, base(owner) + "/TOK" + random.nextInt(2),
                            random.nextBoolean() ? "type=RFID" : "type=APP_USER");
                    stored = random.nextBoolean();
                } else {
                    String suffix = base(owner) + "/LOC" + random.nextInt(3);
                    int level = random.nextInt(100);
                    String method;
                    if (level < 35) {
                        method = random.nextBoolean() ? "PUT" : "PATCH";
                    } else if (level < 80) {
                        suffix += "/EVSE" + random.nextInt(2);
                        method = random.nextInt(100) < 25 ? "PUT" : "PATCH";
                    } else {
                        suffix += "/EVSE" + random.nextInt(2) + "/" + random.nextInt(2);
                        method = random.nextInt(100) < 20 ? "PUT" : "PATCH";
                    }
                    record = record(id, ModuleId.LOCATIONS, method, owner, suffix, null);
                    stored = random.nextInt(100) < 75;
                }
                int r = random.nextInt(100);
                List<PartyId> receivers = r < 70 ? List.of(R1, R2) : r < 85 ? List.of(R1) : List.of(R2);
                int pause = 0;
                if (--burst <= 0) {
                    burst = 1 + random.nextInt(40);
                    pause = random.nextInt(100) < 50 ? random.nextInt(400) : 0;
                }
                steps.add(new Step(record, stored, receivers, pause));
            }
            all.add(steps);
        }
        return all;
    }

    private static String base(PartyId owner) {
        return "/" + owner.countryCode() + "/" + owner.partyId();
    }

    private static BroadcastRecord record(String id, ModuleId module, String method, PartyId owner, String suffix,
                                          String query) {
        return new BroadcastRecord(id, "corr-" + id, module, method, owner,
                module == ModuleId.TOKENS ? Role.EMSP : Role.CPO, UUID.nameUUIDFromBytes(owner.toString().getBytes(
                StandardCharsets.UTF_8)), suffix, query, "{}".getBytes(StandardCharsets.UTF_8), Instant.EPOCH);
    }

    private static BroadcastRecord clientInfo(String id, PartyId party, String status) {
        return new BroadcastRecord(id, "corr-" + id, ModuleId.HUB_CLIENT_INFO, "PUT", party, Role.CPO, null,
                base(party), null, ("{\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8),
                Instant.EPOCH);
    }

    // ------------------------------------------------------------------------------------------------------------
    // the breaches the stress run finds, each pinned to its shortest input (a sender that holds every delivery)

    private static final PartyId CPO = PartyId.of("NL", "CPO");
    private static final DeliveryClient.Result OK = new DeliveryClient.Result(DeliveryOutcome.DELIVERED, 1, null);

    private record Held(ReceiverLane.Job job, Sinks.One<DeliveryClient.Result> end) {
        String what() {
            BroadcastRecord r = job.delivery().record();
            return (job.current() ? "CURRENT " + job.covers().stream().map(d -> d.record().id()).toList()
                    : r.method() + " " + r.suffix()) + " (" + r.id() + ")";
        }
    }

    private static ReceiverLane heldLane(List<Held> sent) {
        return new ReceiverLane(job -> {
            Sinks.One<DeliveryClient.Result> end = Sinks.one();
            sent.add(new Held(job, end));
            return end.asMono();
        }, 16, 100, true);
    }

    private static Delivery to(BroadcastRecord record) {
        return new Delivery(record, PLATFORM, R1);
    }

    /**
     * A push accepted after a Hub Client Info is folded into a current-state job accepted before it, so it reaches
     * the receiver before the Hub Client Info (which then also waits for it): "data accepted after it start only
     * after it ended" does not hold.
     */
    @Test
    void aPushAcceptedAfterHubClientInfoIsNotSentBeforeIt() {
        List<Held> sent = new CopyOnWriteArrayList<>();
        ReceiverLane lane = heldLane(sent);
        lane.submit(to(record("p1", ModuleId.LOCATIONS, "PATCH", CPO, "/NL/CPO/LOC1/EVSE1", null)), true);
        lane.submit(to(record("p2", ModuleId.LOCATIONS, "PATCH", CPO, "/NL/CPO/LOC1/EVSE1", null)), true);
        lane.submit(to(record("p3", ModuleId.LOCATIONS, "PATCH", CPO, "/NL/CPO/LOC1/EVSE2", null)), true);
        lane.submit(to(clientInfo("hci", CPO, "SUSPENDED")), false);
        lane.submit(to(record("p4-after-hci", ModuleId.LOCATIONS, "PATCH", CPO, "/NL/CPO/LOC1/EVSE1", null)), true);

        sent.get(0).end().tryEmitValue(OK); // p1 ends: the Hub Client Info may go, p4 (after it) may not
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).what())
                .as("what starts once p1 ended, while p4-after-hci waits for the Hub Client Info")
                .doesNotContain("p4-after-hci");
    }

    /**
     * A push that arrives while one current-state job waits is folded into that job ({@code last.covers.add}), so the
     * job's own delivery is no longer the latest push it stands for: ReceiverLanes sends the whole-state PUT with
     * an older push's id and correlation id, and its outcome (a FAILED one recorded for replay included) is reported
     * for the older push while the newer one already answered CONFLATED.
     */
    @Test
    void aCurrentStateJobIsTheLatestPushItStandsFor() {
        List<Held> sent = new CopyOnWriteArrayList<>();
        ReceiverLane lane = heldLane(sent);
        lane.submit(to(record("p1", ModuleId.LOCATIONS, "PATCH", CPO, "/NL/CPO/LOC1/EVSE1", null)), true);
        lane.submit(to(record("p2", ModuleId.LOCATIONS, "PATCH", CPO, "/NL/CPO/LOC1/EVSE1", null)), true);
        lane.submit(to(record("p3", ModuleId.LOCATIONS, "PATCH", CPO, "/NL/CPO/LOC1/EVSE2", null)), true);
        Mono<DeliveryClient.Result> latest = lane.submit(
                to(record("p4", ModuleId.LOCATIONS, "PATCH", CPO, "/NL/CPO/LOC1/EVSE1", null)), true);

        sent.get(0).end().tryEmitValue(OK);
        assertThat(sent).hasSize(2);
        ReceiverLane.Job current = sent.get(1).job();
        assertThat(current.current()).isTrue();
        assertThat(current.covers().stream().map(d -> d.record().id()).toList()).containsExactly("p2", "p3", "p4");
        assertThat(current.delivery().record().id())
                .as("Job#covers: 'the deliveries it stands for, in acceptance order, its own last'")
                .isEqualTo("p4");
        sent.get(1).end().tryEmitValue(new DeliveryClient.Result(DeliveryOutcome.FAILED, 3, "receiver down"));
        assertThat(latest.block(java.time.Duration.ofSeconds(5)).outcome())
                .as("p4's change was not delivered: its result is the failure, recorded for replay")
                .isEqualTo(DeliveryOutcome.FAILED);
    }

    /**
     * A waiting Hub Client Info replaced by a newer one (conflation) releases the data accepted between them at once,
     * before any Hub Client Info: a CONNECTED no longer reaches the member before the data that followed it.
     */
    @Test
    void dataAcceptedAfterAWaitingHubClientInfoStillWaitsWhenANewerOneReplacesIt() {
        List<Held> sent = new CopyOnWriteArrayList<>();
        ReceiverLane lane = heldLane(sent);
        lane.submit(to(record("loc1", ModuleId.LOCATIONS, "PUT", CPO, "/NL/CPO/LOC1", null)), true);
        lane.submit(to(clientInfo("connected", CPO, "CONNECTED")), false);
        lane.submit(to(record("loc2-after-connected", ModuleId.LOCATIONS, "PUT", CPO, "/NL/CPO/LOC2", null)), true);
        assertThat(sent).hasSize(1);

        lane.submit(to(clientInfo("suspended", CPO, "SUSPENDED")), false);
        assertThat(sent.stream().map(Held::what).toList())
                .as("loc2 followed a CONNECTED: it may not reach the member before a Hub Client Info does")
                .containsExactly("PUT /NL/CPO/LOC1 (loc1)");
    }

    /**
     * A push accepted before a Hub Client Info is folded into a current-state job accepted after it, so it is sent
     * (one by one, when the store holds no whole object) after the Hub Client Info: "it starts only after every
     * earlier delivery of data owned by that party ended" holds in name only.
     */
    @Test
    void aPushAcceptedBeforeHubClientInfoIsNotCarriedPastIt() {
        List<Held> sent = new CopyOnWriteArrayList<>();
        ReceiverLane lane = heldLane(sent);
        lane.submit(to(record("p1", ModuleId.LOCATIONS, "PATCH", CPO, "/NL/CPO/LOC1/EVSE1", null)), true);
        lane.submit(to(record("p2-before-hci", ModuleId.LOCATIONS, "PATCH", CPO, "/NL/CPO/LOC1/EVSE1", null)), true);
        lane.submit(to(clientInfo("hci", CPO, "SUSPENDED")), false);
        lane.submit(to(record("p3-after-hci", ModuleId.LOCATIONS, "PATCH", CPO, "/NL/CPO/LOC1/EVSE2", null)), true);

        // the receiver answers everything, one at a time, oldest first: in what order does it get the pushes?
        List<String> received = new ArrayList<>();
        for (int next = 0; next < sent.size(); next++) {
            Held held = sent.get(next);
            received.addAll(held.job().current()
                    ? held.job().covers().stream().map(d -> d.record().id()).toList()
                    : List.of(held.job().delivery().record().id()));
            held.end().tryEmitValue(OK);
        }
        assertThat(received).as("every push the receiver gets, in order (a current-state job counts as the pushes it"
                + " stands for: sent one by one when the store holds no whole Location)")
                .containsSubsequence("p2-before-hci", "hci")
                .containsSubsequence("hci", "p3-after-hci");
    }
}
