package org.ocpihub.broadcast.fanout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToIntFunction;

import org.ocpihub.broadcast.delivery.Delivery;
import org.ocpihub.broadcast.delivery.DeliveryClient;
import org.ocpihub.broadcast.delivery.DeliveryOutcome;
import org.ocpihub.broadcast.log.BroadcastRecord;
import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.party.Role;
import org.ocpihub.ocpi.version.ModuleId;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The deliveries owed to one receiving platform: up to {@code inFlightLimit} are sent at once, while
 * <ul>
 *   <li>deliveries of the same object to the same party (module, owner, object id; an EVSE or connector push belongs
 *       to its Location, {@link BroadcastRecord#objectKey()}) never overlap and start in acceptance order;</li>
 *   <li>a Hub Client Info push about a party keeps its place among that party's data (HCI 15.1.1: a CONNECTED
 *       reaches the member before the data that followed it): it starts only after every earlier delivery of data
 *       owned by that party ended, and data accepted after it start only after it ended;</li>
 *   <li>with conflation on, a delivery that is still waiting when a newer push of the same object arrives is not
 *       sent at all (outcome {@link DeliveryOutcome#CONFLATED}): a PUT or DELETE of the object (or of a part that
 *       contains it) replaces whatever waited; otherwise, for stored modules, one delivery of the object's current
 *       stored state (a PUT, read when it starts) replaces them all. The receiver ends in the same state with fewer
 *       requests.</li>
 *   <li>Hub Client Info goes out in version order ({@link BroadcastRecord#version()}): a change the log holds in
 *       every partition ({@link BroadcastRecord#copies()}) is sent once, each copy fencing the party's data like any
 *       Hub Client Info push; a record that starts when the same version, or a later one, about the same party and
 *       role already reached this receiving party ends unsent ({@link DeliveryOutcome#COPY}), and one never
 *       replaces a waiting later version. Only receivers of the party's data get every copy; the others get one
 *       ({@link EligibleReceivers#ofCopy}). Exact on one instance; with several, each instance holding some of the
 *       partitions may send a data receiver the change once.</li>
 * </ul>
 * At most {@code capacity} deliveries wait (not yet started); beyond that {@link #submit} answers FAILED at once.
 *
 * <p>Thread-safe: submissions come from the fan-out's partitions, completions from the HTTP client's event loops.
 * The state is guarded by this object's monitor, held only for map and queue updates (never across a send), so no
 * thread waits on it for long.
 */
final class ReceiverLane {

    /** Why a conflated delivery was not sent (operator words: shown in the message log and the console). */
    static final String CONFLATED = "superseded by a later push of the same object while waiting: the receiver gets "
            + "the object's latest state once";

    /**
     * The result of a delivery withdrawn unsent because its Kafka partition moved to another instance, which sends it
     * again ({@link PartitionOwnership}); recognised by identity ({@link #withdrawn}), never settled nor recorded.
     */
    private static final DeliveryClient.Result WITHDRAWN = new DeliveryClient.Result(DeliveryOutcome.FAILED, 0,
            "withdrawn: its partition moved to another hub instance, which sends it again");

    /** The result of Hub Client Info not sent because the change, or a later one, already went out. */
    static final DeliveryClient.Result COPY_SENT = new DeliveryClient.Result(DeliveryOutcome.COPY, 0,
            "not sent: the receiver already got this Hub Client Info change, or a later one (a change is kept in "
                    + "every partition for order)");

    /** How long what was sent about a party is kept once nothing about it waits here and no copy is expected. */
    private static final long COPY_IDLE_NANOS = TimeUnit.MINUTES.toNanos(1);
    /** How often, at most, idle entries are looked for (on a submission). */
    private static final long COPY_SWEEP_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Function<Job, Mono<DeliveryClient.Result>> sender;
    private final int inFlightLimit;
    private final int capacity;
    private final boolean conflation;

    private long nextSeq;
    private int inFlight;
    /**
     * Changed under this lane's monitor, read without it: the backlog reads it while holding its own monitor, and
     * waiting for this one there stalled event loops for up to 30 ms on two busy cores (JFR, docs/benchmarks.md).
     */
    private volatile int waiting;
    /** Conflated deliveries waiting for the delivery that carries them to end. */
    private int superseded;
    /** Per object and receiving party: its deliveries in acceptance order; the head may be in flight. */
    private final Map<OrderKey, ArrayDeque<Job>> chains = new HashMap<>();
    /** Per owner: the sequence numbers of its data deliveries not yet ended (Hub Client Info aside). */
    private final Map<PartyId, TreeSet<Long>> pendingDataByOwner = new HashMap<>();
    /** Per owner: its Hub Client Info deliveries not yet ended, in order (they share one chain, so end in order). */
    private final Map<PartyId, ArrayDeque<Job>> clientInfoByOwner = new HashMap<>();
    /** Chain heads held back by their owner's Hub Client Info (or, for Hub Client Info, by earlier data). */
    private final Map<PartyId, List<Job>> fenced = new HashMap<>();
    /** Per party, role and receiving party: the Hub Client Info changes whose copies are still coming. */
    private final Map<CopyKey, CopyEntry> copies = new HashMap<>();
    private long lastSweep = System.nanoTime();
    /** Ready to start, oldest first. */
    private final PriorityQueue<Job> ready = new PriorityQueue<>((a, b) -> Long.compare(a.seq, b.seq));
    private final Disposable.Composite sending = Disposables.composite();
    private final Queue<Job> toSend = new ConcurrentLinkedQueue<>();
    private final AtomicInteger sendLoop = new AtomicInteger();
    private final ToIntFunction<Delivery> copiesExpected;

    /**
     * @param sender        sends one job (the delivery, or the object's current state when {@link Job#current})
     * @param inFlightLimit deliveries sent at once, at least 1
     * @param capacity      deliveries that may wait, at least 1
     * @param conflation    whether waiting deliveries of one object may be replaced by a newer one
     */
    ReceiverLane(Function<Job, Mono<DeliveryClient.Result>> sender, int inFlightLimit, int capacity,
                 boolean conflation) {
        this(sender, inFlightLimit, capacity, conflation, RECORD_COPIES);
    }

    /** Every copy a record says the log holds reaches the lane (lanes without a registry: tests). */
    static final ToIntFunction<Delivery> RECORD_COPIES = delivery -> delivery.record().copies();

    /**
     * @param copiesExpected how many copies of a Hub Client Info change reach this lane
     *                       ({@link EligibleReceivers#copiesFor}: the record's number for a receiver of the party's
     *                       data, 1 for any other, which gets only the home partition's copy)
     */
    ReceiverLane(Function<Job, Mono<DeliveryClient.Result>> sender, int inFlightLimit, int capacity,
                 boolean conflation, ToIntFunction<Delivery> copiesExpected) {
        this.sender = sender;
        this.inFlightLimit = Math.max(1, inFlightLimit);
        this.capacity = Math.max(1, capacity);
        this.conflation = conflation;
        this.copiesExpected = copiesExpected;
    }

    /** Where an object's deliveries to one party line up. */
    private record OrderKey(String object, PartyId receiver) {
    }

    /** Whose connection status, to whom: the copies of one party role's changes to one receiving party. */
    private record CopyKey(PartyId about, Role role, PartyId receiver) {
    }

    /**
     * What went out about one {@link CopyKey}: the highest version sent, so that a lower one is not sent after it,
     * kept while copies of a change seen here may still come (the record says how many there are), or records about
     * it wait here, and a minute after.
     */
    private static final class CopyEntry {
        /** The highest version sent (delivered, or answered with an error and so recorded); 0: none. */
        long sent;
        /** The versions seen here, for counting the copies still to come. */
        final Set<Long> seen = new HashSet<>(2);
        /** Copies of the versions seen that have not ended here yet. */
        int outstanding;
        /** Records about it in the lane now. */
        int pending;
        long touched;
    }

    /** One delivery in the lane. */
    static final class Job {
        final Delivery delivery;
        final boolean stored;
        final long seq;
        final OrderKey key;
        final PartyId owner;
        final boolean clientInfo;
        /** For versioned Hub Client Info: whose status, to whom; else null. */
        final CopyKey copyKey;
        /** For versioned Hub Client Info: the change's version. */
        final long version;
        /** Its change, or a later one, already went out: ends unsent. */
        boolean copySkipped;
        final Sinks.One<DeliveryClient.Result> result = Sinks.one();
        /** The hold on the Kafka partition the delivery comes from; null: always sent. */
        final PartitionOwnership ownership;
        /** Send the object's current stored state instead of the record (it replaced waiting deliveries). */
        boolean current;
        /** When {@link #current}: every delivery it stands for, oldest first, this one last (sent one by one should
         *  the store hold no whole object to send instead). */
        final List<Delivery> covers = new ArrayList<>(0);
        /** Superseded jobs that end when this one ends (conflated into it). */
        final List<Job> carried = new ArrayList<>(0);
        boolean started;
        /** Ended (its result decided): a second end (its answer racing a withdrawal) changes nothing. */
        boolean finished;
        /** Once started: its send, which a hand-over cancels ({@link #withdraw}). */
        Disposable.Swap slot;
        /** When its send began ({@link System#nanoTime()}), 0 until then. */
        volatile long sentAt;

        private Job(Delivery delivery, boolean stored, long seq, PartitionOwnership ownership) {
            this.delivery = delivery;
            this.ownership = ownership;
            this.stored = stored;
            this.seq = seq;
            BroadcastRecord record = delivery.record();
            this.key = new OrderKey(record == null ? "" : record.objectKey(), delivery.receiver());
            this.owner = record == null ? null : record.owner();
            this.clientInfo = record != null && record.module() == ModuleId.HUB_CLIENT_INFO;
            this.version = clientInfo ? record.version() : 0;
            this.copyKey = version > 0 ? new CopyKey(record.owner(), record.ownerRole(), delivery.receiver()) : null;
        }

        /** The delivery this job sends. */
        Delivery delivery() {
            return delivery;
        }

        /** Whether to send the object's current stored state instead of the record. */
        boolean current() {
            return current;
        }

        /** When {@link #current()}: the deliveries it stands for, in acceptance order, its own last. */
        List<Delivery> covers() {
            return covers;
        }
    }

    /**
     * Queues one delivery (order = call order) and returns its eventual result.
     *
     * @param stored whether the hub's store holds this push (so the object's stored state includes it)
     */
    Mono<DeliveryClient.Result> submit(Delivery delivery, boolean stored) {
        return submit(delivery, stored, null);
    }

    /**
     * Queues one delivery from a Kafka partition this instance holds: it is sent only while the hold lasts, else it
     * ends {@link #withdrawn} unsent.
     *
     * @param ownership the hold on the delivery's partition, or null when it is always sent
     */
    Mono<DeliveryClient.Result> submit(Delivery delivery, boolean stored, PartitionOwnership ownership) {
        List<Job> start;
        Job job;
        // outside the monitor: it reads the registry snapshot's index, which a registry change rebuilds
        BroadcastRecord record = delivery.record();
        int copiesHere = record != null && record.module() == ModuleId.HUB_CLIENT_INFO && record.version() > 0
                ? copiesExpected.applyAsInt(delivery) : 1;
        synchronized (this) {
            job = new Job(delivery, stored, nextSeq++, ownership);
            if (ownership != null && ownership.revoked()) {
                // after the hand-over withdrew the partition's deliveries (withdraw): never queued, and, as a copy
                // withdrawn from the lane, counted as a copy that came and leaves its change to the next
                if (job.copyKey != null) {
                    copySeen(job, copiesHere);
                    copyEnded(job, null, false);
                }
                return Mono.just(WITHDRAWN);
            }
            ArrayDeque<Job> chain = chains.computeIfAbsent(job.key, k -> new ArrayDeque<>());
            if (job.copyKey != null) {
                copySeen(job, copiesHere);
            }
            if (conflation) {
                // first: a push that replaces waiting ones takes no room, so a full lane still takes it
                conflate(chain, job);
            }
            if (waiting >= capacity) { // nothing was conflated into the job: it would be one more waiting
                if (chain.isEmpty()) {
                    chains.remove(job.key);
                }
                copyEnded(job, null, false);
                return Mono.just(new DeliveryClient.Result(DeliveryOutcome.FAILED, 0,
                        "receiver backlog full (" + capacity + " waiting deliveries): receiver too slow"));
            }
            chain.addLast(job);
            waiting++;
            if (job.owner != null) {
                if (job.clientInfo) {
                    clientInfoByOwner.computeIfAbsent(job.owner, o -> new ArrayDeque<>()).addLast(job);
                } else {
                    pendingDataByOwner.computeIfAbsent(job.owner, o -> new TreeSet<>()).add(job.seq);
                }
            }
            if (chain.size() == 1) {
                admit(job);
            }
            start = pump();
        }
        Mono<DeliveryClient.Result> result = job.result.asMono();
        send(start);
        return result;
    }

    /**
     * Applies conflation to a chain before {@code job} joins it: takes out the waiting jobs it supersedes, which end
     * when {@code job} ends ({@link Job#carried}), and marks {@code job} {@link Job#current} when it must carry the
     * object's stored state. A superseded delivery so ends only once the change it held reached the receiver: its
     * Kafka record is not committed before, and a crash re-sends it rather than losing it.
     */
    private void conflate(ArrayDeque<Job> chain, Job job) {
        List<Job> waitingJobs = new ArrayList<>();
        for (Job queued : chain) {
            if (!queued.started) {
                waitingJobs.add(queued);
            }
        }
        if (waitingJobs.isEmpty() || crossesFence(job, waitingJobs.get(0).seq) || olderCopy(job, waitingJobs)
                || otherPartition(job, waitingJobs)) {
            return;
        }
        BroadcastRecord record = job.delivery.record();
        if (replacesWhole(record, waitingJobs)) {
            waitingJobs.forEach(w -> remove(chain, w, job));
            return;
        }
        if (!storable(job) || !waitingJobs.stream().allMatch(ReceiverLane::storable)) {
            return;
        }
        for (Job w : waitingJobs) {
            if (w.current) {
                job.covers.addAll(w.covers);
            } else {
                job.covers.add(w.delivery);
            }
            remove(chain, w, job);
        }
        // the newest push is the delivery it stands for: its ids go out, its failure is what gets recorded
        job.covers.add(job.delivery);
        job.current = true;
    }

    /**
     * Whether replacing waiting jobs (the first at {@code firstWaiting}) by {@code job}, which comes after them, would
     * move a change across the Hub Client Info fence: for Hub Client Info, when the owner's data was accepted in
     * between (a CONNECTED replaced by a later status would no longer precede that data); for data, when Hub Client
     * Info about the owner was accepted in between (the data would move past it). Then nothing is conflated.
     */
    private boolean crossesFence(Job job, long firstWaiting) {
        if (job.owner == null) {
            return false;
        }
        if (job.clientInfo) {
            TreeSet<Long> data = pendingDataByOwner.get(job.owner);
            return data != null && data.higher(firstWaiting) != null;
        }
        ArrayDeque<Job> clientInfo = clientInfoByOwner.get(job.owner);
        if (clientInfo != null) {
            for (Job info : clientInfo) {
                if (info.seq > firstWaiting) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether {@code job} carries a Hub Client Info version no newer than one waiting: copies come from several
     * partitions, so a later submission may carry an older change, which must not replace the newer one (it ends
     * unsent when it starts).
     */
    private static boolean olderCopy(Job job, List<Job> waitingJobs) {
        if (job.copyKey == null) {
            return false;
        }
        for (Job w : waitingJobs) {
            if (job.copyKey.equals(w.copyKey) && w.version >= job.version) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a waiting job comes from another Kafka partition (another hold on it) than {@code job}: the copies of a
     * Hub Client Info change share the object, not the partition. A conflated delivery ends with the one carrying it,
     * so across partitions a hand-over would withdraw a copy whose partition stays (its record then never
     * acknowledged, and the data behind it no longer fenced), or keep one whose partition moved until the carrier
     * ends. Such jobs each keep their place; a copy whose change was already sent ends unsent when it starts.
     */
    private static boolean otherPartition(Job job, List<Job> waitingJobs) {
        for (Job w : waitingJobs) {
            if (w.ownership != job.ownership) {
                return true;
            }
        }
        return false;
    }

    /**
     * A PUT or DELETE of the object, or of a part containing every waiting push's target, with the same query; for
     * Hub Client Info, about the same role too: a party that is CPO and eMSP has a ClientInfo per role at one URL
     * (HCI 15.3.1 puts no role in it), and a member keeping them apart by the body's role needs both.
     */
    private static boolean replacesWhole(BroadcastRecord record, List<Job> waitingJobs) {
        if (record == null || !("PUT".equals(record.method()) || "DELETE".equals(record.method()))) {
            return false;
        }
        for (Job w : waitingJobs) {
            BroadcastRecord earlier = w.delivery.record();
            boolean inside = earlier.suffix().equals(record.suffix())
                    || earlier.suffix().startsWith(record.suffix() + "/");
            boolean otherRole = record.module() == ModuleId.HUB_CLIENT_INFO
                    && earlier.ownerRole() != record.ownerRole();
            if (w.current || !inside || otherRole || !Objects.equals(earlier.query(), record.query())) {
                return false;
            }
        }
        return true;
    }

    /** Whether the store's state of this job's object includes it and can be sent in its place. */
    private static boolean storable(Job job) {
        BroadcastRecord record = job.delivery.record();
        return job.stored && record != null && record.query() == null
                && (record.module() == ModuleId.LOCATIONS || record.module() == ModuleId.TARIFFS);
    }

    /** Takes a waiting job out of the lane (conflated): it, and what it carried, end when {@code carrier} ends. */
    private void remove(ArrayDeque<Job> chain, Job job, Job carrier) {
        boolean wasHead = chain.peekFirst() == job;
        chain.remove(job);
        ready.remove(job);
        waiting--;
        forget(job);
        carrier.carried.add(job);
        carrier.carried.addAll(job.carried);
        job.carried.clear();
        superseded++;
        if (wasHead && !chain.isEmpty()) {
            admit(chain.peekFirst());
        }
    }

    /** A chain head: ready when its owner's fence allows, else held until it does. */
    private void admit(Job head) {
        if (head.owner == null || fenceOpen(head)) {
            ready.add(head);
        } else {
            fenced.computeIfAbsent(head.owner, o -> new ArrayList<>()).add(head);
        }
    }

    private boolean fenceOpen(Job job) {
        if (job.copyKey != null && copySent(job)) {
            return true; // its change already reached the receiver: it ends unsent, nothing to keep in order
        }
        if (job.clientInfo) {
            // earlier Hub Client Info about the owner shares this job's chain: only earlier data can hold it
            TreeSet<Long> data = pendingDataByOwner.get(job.owner);
            return data == null || data.first() > job.seq;
        }
        ArrayDeque<Job> clientInfo = clientInfoByOwner.get(job.owner);
        return clientInfo == null || clientInfo.isEmpty() || clientInfo.peekFirst().seq > job.seq;
    }

    /** Drops the job from its owner's bookkeeping. */
    private void forget(Job job) {
        if (job.owner == null) {
            return;
        }
        TreeSet<Long> pending = job.clientInfo ? null : pendingDataByOwner.get(job.owner);
        if (pending != null) {
            pending.remove(job.seq);
            if (pending.isEmpty()) {
                pendingDataByOwner.remove(job.owner);
            }
        }
        if (job.clientInfo) {
            ArrayDeque<Job> clientInfo = clientInfoByOwner.get(job.owner);
            if (clientInfo != null) {
                clientInfo.remove(job);
                if (clientInfo.isEmpty()) {
                    clientInfoByOwner.remove(job.owner);
                }
            }
        }
        List<Job> held = fenced.get(job.owner);
        if (held != null) {
            for (Iterator<Job> it = held.iterator(); it.hasNext(); ) {
                Job next = it.next();
                if (next == job) {
                    it.remove();
                } else if (fenceOpen(next)) {
                    it.remove();
                    ready.add(next);
                }
            }
            if (held.isEmpty()) {
                fenced.remove(job.owner);
            }
        }
    }

    /** Marks the jobs that may start now; the caller sends them outside the monitor. */
    private List<Job> pump() {
        List<Job> start = new ArrayList<>(0);
        while (inFlight < inFlightLimit && !ready.isEmpty()) {
            Job job = ready.poll();
            job.started = true;
            job.slot = Disposables.swap();
            job.copySkipped = job.copyKey != null && copySent(job);
            inFlight++;
            waiting--;
            start.add(job);
        }
        return start;
    }

    /**
     * Sends jobs one after another on the calling thread; a send that ends at once (a skipped receiver) and so
     * starts the next from inside this loop only queues it, so the stack stays flat however many end that way.
     */
    private void send(List<Job> jobs) {
        if (jobs.isEmpty()) {
            return;
        }
        toSend.addAll(jobs);
        if (sendLoop.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        while (true) {
            Job next;
            while ((next = toSend.poll()) != null) {
                send(next);
            }
            missed = sendLoop.addAndGet(-missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Whether a result says the delivery was withdrawn unsent (its partition moved to another instance). */
    static boolean withdrawn(DeliveryClient.Result result) {
        return result == WITHDRAWN;
    }

    private void send(Job job) {
        PartitionOwnership ownership = job.ownership;
        if (ownership != null && !ownership.tryStart()) {
            ended(job, WITHDRAWN);
            return;
        }
        job.sentAt = System.nanoTime();
        if (job.copySkipped) {
            if (ownership != null) {
                ownership.ended();
            }
            ended(job, COPY_SENT);
            return;
        }
        Disposable.Swap slot = job.slot;
        sending.add(slot);
        synchronized (job) {
            // withdraw() cancels a send under the job's monitor (never the lane's: only withdraw() waits for it): one
            // it withdrew before it was subscribed is never made (it would go out after its WITHDRAWN result, the
            // delivery already left to the new owner, and stay in `sending`); one being subscribed is cancelled after
            if (slot.isDisposed()) {
                sending.remove(slot);
                if (ownership != null) {
                    ownership.ended();
                }
                return;
            }
            slot.update(Mono.defer(() -> sender.apply(job))
                    .onErrorResume(e -> Mono.just(new DeliveryClient.Result(DeliveryOutcome.FAILED, 0,
                            "the delivery failed unexpectedly")))
                    .defaultIfEmpty(new DeliveryClient.Result(DeliveryOutcome.FAILED, 0,
                            "the delivery failed unexpectedly"))
                    .doFinally(signal -> {
                        if (ownership != null) {
                            ownership.ended();
                        }
                    })
                    .subscribe(result -> {
                        sending.remove(slot);
                        ended(job, result);
                    }));
        }
    }

    /** A started job ended: the next of its object may start, and its owner's fence may open. */
    private void ended(Job job, DeliveryClient.Result result) {
        List<Job> start;
        List<Job> held = new ArrayList<>(0);
        synchronized (this) {
            if (job.finished) {
                return; // withdrawn by a hand-over while its answer came, or the other way round
            }
            job.finished = true;
            inFlight--;
            copyEnded(job, result, result.unreachable()); // first: a copy behind it may now pass its fence
            ArrayDeque<Job> chain = chains.get(job.key);
            if (chain != null) {
                chain.remove(job);
                if (result.unreachable()) {
                    // the receiver is down and this delivery will wait for it in the receiver backlog: the object's
                    // later ones must not overtake it, so they end unsent and wait there too, behind it
                    for (Job next : chain) {
                        ready.remove(next);
                        waiting--;
                        held.add(next);
                    }
                    chain.clear();
                }
                if (chain.isEmpty()) {
                    chains.remove(job.key);
                } else {
                    admit(chain.peekFirst());
                }
            }
            forget(job);
            superseded -= job.carried.size();
            for (Job next : held) {
                forget(next);
                superseded -= next.carried.size();
            }
            // what ends unreachable comes back as a row of the receiver backlog: its copy is still to come
            job.carried.forEach(c -> copyEnded(c, null, result.unreachable()));
            for (Job next : held) {
                copyEnded(next, null, true);
                next.carried.forEach(c -> copyEnded(c, null, true));
            }
            start = pump();
        }
        try {
            job.result.tryEmitValue(result);
            DeliveryClient.Result notSent = new DeliveryClient.Result(DeliveryOutcome.FAILED, 0, "not sent: the "
                    + "receiver could not be reached for an earlier push of the same object", null, null, null, true);
            for (Job next : held) {
                next.result.tryEmitValue(notSent);
                next.carried.forEach(c -> c.result.tryEmitValue(notSent));
            }
            if (!job.carried.isEmpty() && withdrawn(result)) {
                // the same partition (conflation never crosses one): the new owner sends the change they held
                job.carried.forEach(c -> c.result.tryEmitValue(WITHDRAWN));
            } else if (!job.carried.isEmpty()) {
                DeliveryClient.Result superseded = result.outcome() == DeliveryOutcome.FAILED
                        ? new DeliveryClient.Result(DeliveryOutcome.FAILED, 0, "superseded by a later push of the "
                                + "same object, whose delivery failed: " + result.error(), null, null, null,
                                result.unreachable()) // a receiver that is down: they wait for it too
                        : new DeliveryClient.Result(DeliveryOutcome.CONFLATED, 0, CONFLATED);
                job.carried.forEach(c -> c.result.tryEmitValue(superseded));
            }
        } finally {
            // whatever a result's subscriber does, the jobs counted in flight are sent
            send(start);
        }
    }

    /**
     * When the most recent send still on the wire of these partitions began ({@link System#nanoTime()}; a send about
     * to begin counts as now), or {@link Long#MIN_VALUE} when none is: a hand-over waits for a send at most the grace
     * from its start, not for one that has already taken longer (a receiver that hangs, or one in retry backoff).
     */
    synchronized long latestSendOnTheWire(Set<PartitionOwnership> moving) {
        long latest = Long.MIN_VALUE;
        for (ArrayDeque<Job> chain : chains.values()) {
            Job head = chain.peekFirst(); // only a chain's head is ever on the wire
            if (head != null && head.started && !head.finished && head.ownership != null
                    && moving.contains(head.ownership)) {
                long at = head.sentAt;
                latest = Math.max(latest, at == 0 ? System.nanoTime() : at);
            }
        }
        return latest;
    }

    /**
     * Withdraws every delivery of these partitions from the lane now, at their hand-over (after
     * {@link PartitionOwnership#revoke()}): waiting ones end {@link #withdrawn} unsent, and so do those still on the
     * wire, whose sends are cancelled (a receiver that hangs, or one in retry backoff: a send left running could
     * reach the receiver after the new owner's later push of the same object). Conflated deliveries end with the
     * delivery carrying them, as when one is withdrawn as it starts (conflation never crosses partitions:
     * {@link #otherPartition}). Deliveries submitted afterwards for these partitions end withdrawn at once
     * ({@link #submit}).
     *
     * @return how many were on the wire (cancelled)
     */
    int withdraw(Set<PartitionOwnership> moving) {
        List<Job> waitingOut = new ArrayList<>(0);
        List<Job> onTheWire = new ArrayList<>(0);
        List<Job> start;
        synchronized (this) {
            for (Iterator<ArrayDeque<Job>> chainIt = chains.values().iterator(); chainIt.hasNext(); ) {
                ArrayDeque<Job> chain = chainIt.next();
                Job head = chain.peekFirst();
                boolean headOut = false;
                for (Iterator<Job> it = chain.iterator(); it.hasNext(); ) {
                    Job job = it.next();
                    if (job.ownership == null || !moving.contains(job.ownership)) {
                        continue;
                    }
                    if (job.started) {
                        onTheWire.add(job); // the chain's head: ended() below takes it out
                    } else {
                        it.remove();
                        waitingOut.add(job);
                        headOut |= job == head;
                    }
                }
                if (chain.isEmpty()) {
                    chainIt.remove();
                } else if (headOut) {
                    admit(chain.peekFirst());
                }
            }
            if (!waitingOut.isEmpty()) {
                // out of the ready queue and the fences first, so that forget() cannot admit one of them again
                Set<Job> out = Collections.newSetFromMap(new IdentityHashMap<>());
                out.addAll(waitingOut);
                ready.removeIf(out::contains);
                for (Iterator<List<Job>> it = fenced.values().iterator(); it.hasNext(); ) {
                    List<Job> held = it.next();
                    held.removeIf(out::contains);
                    if (held.isEmpty()) {
                        it.remove();
                    }
                }
                for (Job job : waitingOut) {
                    job.finished = true;
                    waiting--;
                    forget(job);
                    superseded -= job.carried.size();
                    copyEnded(job, null, false);
                    job.carried.forEach(c -> copyEnded(c, null, false));
                }
            }
            start = pump();
        }
        try {
            for (Job job : waitingOut) {
                job.result.tryEmitValue(WITHDRAWN);
                job.carried.forEach(c -> c.result.tryEmitValue(WITHDRAWN));
            }
            for (Job job : onTheWire) {
                synchronized (job) {
                    job.slot.dispose(); // its subscriber never hears; ended() settles it here
                }
                sending.remove(job.slot);
                ended(job, WITHDRAWN);
            }
        } finally {
            send(start);
        }
        return onTheWire.size();
    }

    private boolean copySent(Job job) {
        CopyEntry entry = copies.get(job.copyKey);
        return entry != null && job.version <= entry.sent;
    }

    /**
     * Counts a versioned Hub Client Info record in, and the copies of its version still to come ({@code copiesHere}:
     * how many reach this lane).
     */
    private void copySeen(Job job, int copiesHere) {
        long now = System.nanoTime();
        if (now - lastSweep > COPY_SWEEP_NANOS) {
            lastSweep = now;
            sweepCopies(now);
        }
        CopyEntry entry = copies.computeIfAbsent(job.copyKey, k -> new CopyEntry());
        if (entry.seen.add(job.version)) {
            entry.outstanding += Math.max(1, copiesHere);
        }
        entry.pending++;
        entry.touched = now;
    }

    /**
     * A versioned record ended; {@code result} is what its own send gave (null when it ended unsent: carried by a
     * newer push, or held for a receiver that is down). A send the receiver answered raises the version sent; one
     * that did not reach it (down, withdrawn) leaves it to the next copy, or to the row it becomes ({@code returns}:
     * it comes back from the receiver backlog, so it is still expected). The entry goes once every copy expected
     * ended here and nothing about it waits. A record of it that comes later still (another instance's partition
     * moving here, or a row drained after the entry was swept) is then sent again, and the later versions behind it
     * in its partition follow it, so the receiver ends with the latest status.
     */
    private void copyEnded(Job job, DeliveryClient.Result result, boolean returns) {
        if (job.copyKey == null) {
            return;
        }
        CopyEntry entry = copies.get(job.copyKey);
        if (entry == null) {
            return;
        }
        if (result != null && !job.copySkipped && result != WITHDRAWN && !result.unreachable()) {
            entry.sent = Math.max(entry.sent, job.version);
        }
        entry.pending--;
        if (!returns) {
            entry.outstanding--;
        }
        entry.touched = System.nanoTime();
        if (entry.outstanding <= 0 && entry.pending <= 0) {
            copies.remove(job.copyKey);
        }
    }

    /**
     * Forgets parties nothing about which waited here for a minute: the copies still expected went to another
     * instance or to no one (the receiver was not eligible then), or come back later as rows (see
     * {@link #copyEnded}).
     */
    private void sweepCopies(long now) {
        copies.values().removeIf(e -> e.pending <= 0 && now - e.touched > COPY_IDLE_NANOS);
    }

    /** Deliveries accepted and not yet started (a volatile read, without the lane's monitor). */
    int waiting() {
        return waiting;
    }

    /**
     * Entries the lane's bookkeeping holds (chains, owners, fenced and ready jobs): 0 once every delivery ended, so a
     * lane that saw millions of objects keeps no memory of them (tests check it).
     */
    synchronized int bookkeeping() {
        return chains.size() + pendingDataByOwner.size() + clientInfoByOwner.size() + fenced.size() + ready.size()
                + copies.size();
    }

    /** Conflated deliveries that wait for the delivery carrying their change to end. */
    synchronized int superseded() {
        return superseded;
    }

    /** Deliveries being sent now. */
    synchronized int inFlight() {
        return inFlight;
    }

    /** Stops every send in progress (shutdown); their results never come. */
    void dispose() {
        sending.dispose();
    }
}
