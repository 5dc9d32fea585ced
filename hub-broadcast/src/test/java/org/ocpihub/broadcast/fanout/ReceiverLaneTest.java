package org.ocpihub.broadcast.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
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
 * {@link ReceiverLane}: several deliveries at once per receiving platform, one object's deliveries one after another
 * in acceptance order, Hub Client Info in its place among its party's data, conflation of waiting deliveries. The
 * sender here holds each delivery until the test ends it, so what runs at any moment is known exactly.
 */
class ReceiverLaneTest {

    private static final DeliveryClient.Result OK = new DeliveryClient.Result(DeliveryOutcome.DELIVERED, 1, null);
    /** The receiver could not be reached after every retry: the delivery waits in the receiver backlog. */
    private static final DeliveryClient.Result DOWN = new DeliveryClient.Result(DeliveryOutcome.FAILED, 4, "down",
            null, null, null, true);
    private static final PartyId CPO = PartyId.of("NL", "CPO");
    private static final PartyId OTHER_CPO = PartyId.of("DE", "ABC");
    private static final PartyId EMSP = PartyId.of("NL", "MSP");
    private static final UUID RECEIVER = UUID.randomUUID();
    /** Results here are ready or never come: a bounded wait turns a never into a failure, not a hung build. */
    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(5);

    /** What the sender was asked to send, in order, and how to end each. */
    private final List<Sent> sent = new CopyOnWriteArrayList<>();

    private record Sent(ReceiverLane.Job job, Sinks.One<DeliveryClient.Result> end) {
        String what() {
            BroadcastRecord record = job.delivery().record();
            return (job.current() ? "CURRENT " : record.method() + " ") + record.suffix();
        }

        void ok() {
            end.tryEmitValue(OK);
        }
    }

    private ReceiverLane lane(int inFlight, int capacity, boolean conflation) {
        return new ReceiverLane(job -> {
            Sinks.One<DeliveryClient.Result> end = Sinks.one();
            sent.add(new Sent(job, end));
            return end.asMono();
        }, inFlight, capacity, conflation);
    }

    private List<String> bodies() {
        return sent.stream().map(x -> new String(x.job().delivery().record().body(), StandardCharsets.UTF_8)).toList();
    }

    private List<String> sentSoFar() {
        return sent.stream().map(Sent::what).toList();
    }

    @Test
    void upToTheLimitOfDifferentObjectsAreSentAtOnceAndTheRestWaitInOrder() {
        ReceiverLane lane = lane(3, 100, true);
        for (int i = 1; i <= 5; i++) {
            lane.submit(delivery(location("PUT", "/NL/CPO/LOC" + i)), true);
        }
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1", "PUT /NL/CPO/LOC2", "PUT /NL/CPO/LOC3");
        assertThat(lane.inFlight()).isEqualTo(3);
        assertThat(lane.waiting()).isEqualTo(2);

        sent.get(1).ok();
        assertThat(sentSoFar()).endsWith("PUT /NL/CPO/LOC4");
        sent.get(0).ok();
        assertThat(sentSoFar()).endsWith("PUT /NL/CPO/LOC5");
        assertThat(lane.waiting()).isZero();
    }

    @Test
    void onceItsPartitionMovesAwayAWaitingDeliveryIsWithdrawnUnsentAndOneOnTheWireIsCounted() {
        ReceiverLane lane = lane(1, 100, true);
        PartitionOwnership held = new PartitionOwnership(3, 0);
        Mono<DeliveryClient.Result> onTheWire = lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true, held);
        Mono<DeliveryClient.Result> waiting = lane.submit(delivery(location("PUT", "/NL/CPO/LOC2")), true, held);
        // conflated into a newer push of the same object, which will be withdrawn: the change it held goes too
        Mono<DeliveryClient.Result> newer = lane.submit(delivery(location("PUT", "/NL/CPO/LOC2")), true, held);
        // another partition's delivery, still held
        Mono<DeliveryClient.Result> other = lane.submit(delivery(locationOf(OTHER_CPO, "PUT", "/DE/ABC/LOC9")), true,
                new PartitionOwnership(5, 0));
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1");
        assertThat(held.onTheWire()).isEqualTo(1);

        held.revoke();
        // the hand-over waits for the one on the wire, not for the waiting one
        assertThat(PartitionOwnership.awaitDeliveries(List.of(held), java.time.Duration.ZERO)).isEqualTo(1);
        sent.get(0).ok();
        assertThat(onTheWire.block(WAIT)).isEqualTo(OK);
        assertThat(held.onTheWire()).isZero();

        assertThat(ReceiverLane.withdrawn(newer.block(WAIT))).isTrue();
        assertThat(ReceiverLane.withdrawn(waiting.block(WAIT))).as("carried by the withdrawn one").isTrue();
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1", "PUT /DE/ABC/LOC9");
        sent.get(1).ok();
        assertThat(other.block(WAIT)).isEqualTo(OK);
        assertThat(lane.bookkeeping()).isZero();
    }

    /**
     * At the hand-over (after the grace) every delivery of the moving partition that has not ended is withdrawn at
     * once, so that it can be kept as a backlog row and its record committed: waiting ones, conflated ones, and ones
     * still on the wire (a receiver that hangs), whose sends are cancelled. Other partitions' deliveries go on.
     */
    @Test
    void atTheHandOverEveryUnfinishedDeliveryOfTheMovingPartitionIsWithdrawnAtOnceAndItsSendsCancelled() {
        ReceiverLane lane = lane(2, 100, true);
        PartitionOwnership moving = new PartitionOwnership(3, 0);
        PartitionOwnership staying = new PartitionOwnership(5, 0);
        Mono<DeliveryClient.Result> hanging = lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true, moving);
        Mono<DeliveryClient.Result> other = lane.submit(delivery(locationOf(OTHER_CPO, "PUT", "/DE/ABC/LOC8")), true,
                staying);
        Mono<DeliveryClient.Result> waiting = lane.submit(delivery(location("PUT", "/NL/CPO/LOC2")), true, moving);
        Mono<DeliveryClient.Result> newer = lane.submit(delivery(location("PUT", "/NL/CPO/LOC2")), true, moving);
        Mono<DeliveryClient.Result> behind = lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true, moving);
        Mono<DeliveryClient.Result> next = lane.submit(delivery(locationOf(OTHER_CPO, "PUT", "/DE/ABC/LOC9")), true,
                staying);
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1", "PUT /DE/ABC/LOC8");
        assertThat(moving.onTheWire()).isEqualTo(1);

        moving.revoke();
        assertThat(lane.withdraw(java.util.Set.of(moving))).as("deliveries on the wire cancelled").isEqualTo(1);

        for (Mono<DeliveryClient.Result> result : List.of(hanging, waiting, newer, behind)) {
            assertThat(ReceiverLane.withdrawn(result.block(WAIT))).isTrue();
        }
        assertThat(sent.get(0).end().currentSubscriberCount()).as("the hanging send was cancelled").isZero();
        assertThat(moving.onTheWire()).isZero();
        // its room went to the other partition's next delivery
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1", "PUT /DE/ABC/LOC8", "PUT /DE/ABC/LOC9");
        // a late answer to the cancelled send changes nothing; a delivery of the moved partition is never queued
        sent.get(0).ok();
        assertThat(ReceiverLane.withdrawn(lane.submit(delivery(location("PUT", "/NL/CPO/LOC3")), true, moving)
                .block(WAIT))).isTrue();
        assertThat(sent).hasSize(3);

        sent.get(1).ok();
        sent.get(2).ok();
        assertThat(other.block(WAIT)).isEqualTo(OK);
        assertThat(next.block(WAIT)).isEqualTo(OK);
        assertThat(lane.waiting()).isZero();
        assertThat(lane.inFlight()).isZero();
        assertThat(lane.superseded()).isZero();
        assertThat(lane.bookkeeping()).isZero();
    }

    /**
     * A withdrawn Hub Client Info copy no longer holds its party's data of the partitions that stay (they have their
     * own copy), and withdrawn data no longer holds a waiting copy back.
     */
    @Test
    void aWithdrawnHubClientInfoCopyOrWithdrawnDataNoLongerHoldUpThePartitionsThatStay() {
        ReceiverLane lane = lane(16, 100, true);
        PartitionOwnership moving = new PartitionOwnership(0, 0);
        PartitionOwnership staying = new PartitionOwnership(1, 0);
        BroadcastRecord connected = clientInfo(CPO, "CONNECTED").withCopies(2).withVersion(7);
        // data of the party on the wire (moving), then its CONNECTED (moving copy, held behind that data), then data
        // of the party from the partition that stays, held behind the CONNECTED
        Mono<DeliveryClient.Result> earlier = lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true, moving);
        Mono<DeliveryClient.Result> copy = lane.submit(delivery(connected), false, moving);
        Mono<DeliveryClient.Result> later = lane.submit(delivery(location("PUT", "/NL/CPO/LOC2")), true, staying);
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1");

        moving.revoke();
        lane.withdraw(java.util.Set.of(moving));
        assertThat(ReceiverLane.withdrawn(earlier.block(WAIT))).isTrue();
        assertThat(ReceiverLane.withdrawn(copy.block(WAIT))).isTrue();
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1", "PUT /NL/CPO/LOC2");

        // the staying partition's copy of the change still fences that partition's later data
        Mono<DeliveryClient.Result> stayingCopy = lane.submit(delivery(connected), false, staying);
        Mono<DeliveryClient.Result> after = lane.submit(delivery(location("PUT", "/NL/CPO/LOC3")), true, staying);
        assertThat(sentSoFar()).hasSize(2);
        sent.get(1).ok();
        assertThat(later.block(WAIT)).isEqualTo(OK);
        assertThat(sentSoFar()).endsWith("PUT /NL/CPO");
        sent.get(2).ok();
        assertThat(stayingCopy.block(WAIT)).isEqualTo(OK);
        assertThat(sentSoFar()).endsWith("PUT /NL/CPO/LOC3");
        sent.get(3).ok();
        assertThat(after.block(WAIT)).isEqualTo(OK);
        assertThat(lane.bookkeeping()).isZero();
    }

    @Test
    void deliveriesOfOneObjectNeverOverlapAndKeepTheirOrderWhileOthersPass() {
        ReceiverLane lane = lane(16, 100, false);
        Mono<DeliveryClient.Result> first = lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true);
        lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE1")), true);
        lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE2/1")), true);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC2")), true);

        // an EVSE or connector push belongs to its Location: only the first LOC1 delivery runs, LOC2 passes it
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1", "PUT /NL/CPO/LOC2");
        sent.get(0).ok();
        assertThat(first.block(WAIT)).isEqualTo(OK);
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1", "PUT /NL/CPO/LOC2", "PATCH /NL/CPO/LOC1/EVSE1");
        sent.get(2).ok();
        assertThat(sentSoFar()).endsWith("PATCH /NL/CPO/LOC1/EVSE2/1");
    }

    @Test
    void theSameObjectForTwoPartiesOfOnePlatformAreTwoLines() {
        ReceiverLane lane = lane(16, 100, false);
        lane.submit(new Delivery(location("PUT", "/NL/CPO/LOC1"), RECEIVER, EMSP), true);
        lane.submit(new Delivery(location("PUT", "/NL/CPO/LOC1"), RECEIVER, PartyId.of("BE", "MSP")), true);
        assertThat(sent).hasSize(2);
    }

    @Test
    void hubClientInfoAboutAPartyWaitsForItsEarlierDataAndHoldsBackItsLaterData() {
        ReceiverLane lane = lane(16, 100, false);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true);
        lane.submit(delivery(clientInfo(CPO, "SUSPENDED")), false);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC2")), true);
        lane.submit(delivery(locationOf(OTHER_CPO, "PUT", "/DE/ABC/LOC9")), true);

        // another owner's data is not held back by NL/CPO's Hub Client Info
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1", "PUT /DE/ABC/LOC9");
        sent.get(0).ok();
        assertThat(sentSoFar()).endsWith("PUT /NL/CPO");
        assertThat(sent).hasSize(3);
        sent.get(2).ok();
        assertThat(sentSoFar()).endsWith("PUT /NL/CPO/LOC2");
    }

    @Test
    void aConnectedReachesTheMemberBeforeTheDataThatFollowedIt() {
        ReceiverLane lane = lane(16, 100, true);
        lane.submit(delivery(clientInfo(CPO, "CONNECTED")), false);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC2")), true);

        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO");
        sent.get(0).ok();
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO", "PUT /NL/CPO/LOC1", "PUT /NL/CPO/LOC2");
    }

    @Test
    void aWaitingPlannedIsNotSentWhenConnectedComes() {
        ReceiverLane lane = lane(16, 100, true);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true); // holds the fence for NL/CPO
        Mono<DeliveryClient.Result> planned = lane.submit(delivery(clientInfo(CPO, "PLANNED")), false);
        lane.submit(delivery(clientInfo(CPO, "CONNECTED")), false);

        sent.get(0).ok();
        assertThat(sent).hasSize(2);
        assertThat(new String(sent.get(1).job().delivery().record().body(), StandardCharsets.UTF_8))
                .contains("CONNECTED");
        // the PLANNED ends once the CONNECTED that replaced it reached the member (its Kafka record waits for that)
        assertThat(planned.toFuture().getNow(null)).isNull();
        sent.get(1).ok();
        assertThat(planned.block(WAIT).outcome()).isEqualTo(DeliveryOutcome.CONFLATED);
    }

    @Test
    void aPartysClientInfoForOneRoleDoesNotReplaceTheWaitingOneForItsOtherRole() {
        ReceiverLane lane = lane(16, 100, true);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true); // holds the fence for NL/CPO
        BroadcastRecord asCpo = clientInfo(CPO, "CONNECTED");
        BroadcastRecord asEmsp = new BroadcastRecord(UUID.randomUUID().toString(), "corr", ModuleId.HUB_CLIENT_INFO,
                "PUT", CPO, Role.EMSP, null, asCpo.suffix(), null, "{\"status\":\"CONNECTED\",\"role\":\"EMSP\"}"
                .getBytes(StandardCharsets.UTF_8), Instant.now());
        Mono<DeliveryClient.Result> first = lane.submit(delivery(asCpo), false);
        lane.submit(delivery(asEmsp), false);

        sent.get(0).ok();
        sent.get(1).ok();
        assertThat(first.block(WAIT).outcome()).isEqualTo(DeliveryOutcome.DELIVERED);
        sent.get(2).ok();
        assertThat(sent).extracting(s -> s.job().delivery().record().ownerRole())
                .containsExactly(Role.CPO, Role.CPO, Role.EMSP);
    }

    /**
     * Keyed by object, a party's data comes from every partition, and each partition holds a copy of its Hub Client
     * Info change: every copy fences the data behind it, but the receiver gets the change once.
     */
    @Test
    void aChangeKeptInEveryPartitionIsSentOnceWhileEachCopyFencesTheDataBehindIt() {
        ReceiverLane lane = lane(16, 100, true);
        BroadcastRecord connected = clientInfo(CPO, "CONNECTED").withCopies(3).withVersion(7);
        // as three partitions hand them over: p2's LOC3 came before its copy
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC3")), true);
        Mono<DeliveryClient.Result> first = lane.submit(delivery(connected), false);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true);
        Mono<DeliveryClient.Result> second = lane.submit(delivery(connected), false);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC2")), true);
        Mono<DeliveryClient.Result> third = lane.submit(delivery(connected), false);

        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC3");
        sent.get(0).ok();
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC3", "PUT /NL/CPO");
        sent.get(1).ok();
        // the other copies end unsent; the data each held back goes out
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC3", "PUT /NL/CPO", "PUT /NL/CPO/LOC1",
                "PUT /NL/CPO/LOC2");
        assertThat(first.block(WAIT)).isEqualTo(OK);
        assertThat(second.block(WAIT).outcome()).isEqualTo(DeliveryOutcome.COPY);
        assertThat(third.block(WAIT).outcome()).isEqualTo(DeliveryOutcome.COPY);
        sent.get(2).ok();
        sent.get(3).ok();
        assertThat(lane.bookkeeping()).isZero();
    }

    /** A later partition's copy of an older change must neither be sent after the newer one nor replace it. */
    @Test
    void aCopyOfAnOlderChangeNeverFollowsOrReplacesANewerOne() {
        ReceiverLane lane = lane(16, 100, true);
        BroadcastRecord planned = clientInfo(CPO, "PLANNED").withCopies(2).withVersion(7);
        BroadcastRecord connected = clientInfo(CPO, "CONNECTED").withCopies(2).withVersion(8);
        // partition 0 hands over both changes before partition 1 hands over its copies
        lane.submit(delivery(planned), false);
        lane.submit(delivery(connected), false);
        lane.submit(delivery(planned), false);
        lane.submit(delivery(connected), false);

        sent.get(0).ok();
        sent.get(1).ok();
        assertThat(sent).hasSize(2);
        assertThat(sent.stream().map(x -> new String(x.job().delivery().record().body(), StandardCharsets.UTF_8)))
                .containsExactly("{\"status\":\"PLANNED\"}", "{\"status\":\"CONNECTED\"}");
        assertThat(lane.bookkeeping()).isZero();
    }

    /**
     * The copies of a Hub Client Info change share the object, not the partition. A newer copy from a partition that
     * moves replaced (conflation) an older copy waiting from one that stays, so the hand-over withdrew that one too:
     * its record was left to a new owner that never comes (its partition stays here), never acknowledged, and the
     * data behind it in its partition was no longer fenced.
     */
    @Test
    void aCopyFromAPartitionThatStaysIsNotWithdrawnWithANewerCopyFromOneThatMoves() {
        ReceiverLane lane = lane(16, 100, true);
        PartitionOwnership staying = new PartitionOwnership(0, 0);
        PartitionOwnership moving = new PartitionOwnership(1, 0);
        BroadcastRecord connected = clientInfo(CPO, "CONNECTED").withCopies(2).withVersion(7);
        BroadcastRecord offline = clientInfo(CPO, "OFFLINE").withCopies(2).withVersion(9);
        Mono<DeliveryClient.Result> earlier = lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true, staying);
        Mono<DeliveryClient.Result> stayingCopy = lane.submit(delivery(connected), false, staying); // waits for LOC1
        Mono<DeliveryClient.Result> movingCopy = lane.submit(delivery(offline), false, moving);
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1");

        moving.revoke();
        lane.withdraw(Set.of(moving));
        assertThat(ReceiverLane.withdrawn(movingCopy.block(WAIT))).isTrue();
        assertThat(stayingCopy.toFuture().getNow(null)).as("its partition stays: it still waits for LOC1").isNull();
        // the moved partition's copy of the older change comes late (its new owner has it)
        assertThat(ReceiverLane.withdrawn(lane.submit(delivery(connected), false, moving).block(WAIT))).isTrue();

        sent.get(0).ok();
        assertThat(earlier.block(WAIT)).isEqualTo(OK);
        sent.get(1).ok();
        assertThat(stayingCopy.block(WAIT)).isEqualTo(OK);
        // the staying partition's own copy of the newer change follows
        Mono<DeliveryClient.Result> newer = lane.submit(delivery(offline), false, staying);
        sent.get(2).ok();
        assertThat(newer.block(WAIT)).isEqualTo(OK);
        assertThat(bodies()).containsExactly("{}", "{\"status\":\"CONNECTED\"}", "{\"status\":\"OFFLINE\"}");
        assertThat(lane.bookkeeping()).isZero();
        assertThat(lane.superseded()).isZero();
    }

    /**
     * A send counted on the wire just before its partition's revocation ({@link PartitionOwnership#tryStart()}) may
     * still be starting on its thread when the hand-over withdraws it. Its send was then made after the withdrawal
     * all the same (the sender called, the request subscribed and only then cancelled): after its WITHDRAWN result,
     * when the hand-over may already have left its delivery to the new owner, and the cancelled send stayed in the
     * lane's set of sends for good. Here the starting thread pauses where the lane records the send, after tryStart
     * and before the sender is called.
     */
    @Test
    void aSendWithdrawnWhileItIsStartingIsNeverMadeAfterTheWithdrawal() throws Exception {
        ReceiverLane lane = lane(4, 100, false);
        Disposable.Composite sends = Disposables.composite();
        CountDownLatch starting = new CountDownLatch(1);
        CountDownLatch handedOver = new CountDownLatch(1);
        AtomicBoolean first = new AtomicBoolean(true);
        Field sending = ReceiverLane.class.getDeclaredField("sending");
        sending.setAccessible(true);
        sending.set(lane, new Disposable.Composite() {
            @Override
            public boolean add(Disposable d) {
                if (first.compareAndSet(true, false)) {
                    starting.countDown();
                    try {
                        handedOver.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return sends.add(d);
            }

            @Override
            public boolean remove(Disposable d) {
                return sends.remove(d);
            }

            @Override
            public int size() {
                return sends.size();
            }

            @Override
            public void dispose() {
                sends.dispose();
            }

            @Override
            public boolean isDisposed() {
                return sends.isDisposed();
            }
        });
        PartitionOwnership moving = new PartitionOwnership(3, 0);
        AtomicReference<Mono<DeliveryClient.Result>> withdrawnSend = new AtomicReference<>();
        Thread partition = new Thread(() -> withdrawnSend.set(
                lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true, moving)));
        partition.start();
        assertThat(starting.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(moving.onTheWire()).as("counted on the wire before the revocation").isEqualTo(1);

        moving.revoke();
        assertThat(lane.withdraw(Set.of(moving))).isEqualTo(1);
        // the object's next push (the partition back here): sent by the thread that is sending, once it goes on
        Mono<DeliveryClient.Result> next = lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true,
                new PartitionOwnership(3, 0));
        assertThat(sent).isEmpty();
        handedOver.countDown();
        partition.join(WAIT.toMillis());
        assertThat(partition.isAlive()).isFalse();

        assertThat(ReceiverLane.withdrawn(withdrawnSend.get().block(WAIT))).isTrue();
        assertThat(moving.onTheWire()).isZero();
        assertThat(sent).as("only the object's next push is sent: the withdrawn one never is").hasSize(1);
        assertThat(sent.get(0).job().ownership).isNotSameAs(moving);
        sent.get(0).ok();
        assertThat(next.block(WAIT)).isEqualTo(OK);
        assertThat(sends.size()).as("no cancelled send kept in the lane's set of sends").isZero();
        assertThat(lane.inFlight()).isZero();
        assertThat(lane.bookkeeping()).isZero();
    }

    /** A copy that did not reach the receiver (its partition moved away) leaves the next copy to send the change. */
    @Test
    void whenTheCopyThatWasToSendTheChangeIsWithdrawnTheNextCopySendsIt() {
        ReceiverLane lane = lane(16, 100, true);
        BroadcastRecord connected = clientInfo(CPO, "CONNECTED").withCopies(2).withVersion(7);
        PartitionOwnership moving = new PartitionOwnership(0, 0);
        moving.revoke();
        Mono<DeliveryClient.Result> withdrawn = lane.submit(delivery(connected), false, moving);
        Mono<DeliveryClient.Result> kept = lane.submit(delivery(connected), false, new PartitionOwnership(1, 0));

        assertThat(ReceiverLane.withdrawn(withdrawn.block(WAIT))).isTrue();
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO");
        sent.get(0).ok();
        assertThat(kept.block(WAIT)).isEqualTo(OK);
        assertThat(lane.bookkeeping()).isZero();
    }

    /**
     * A copy that found the receiver down comes back later as a row of the receiver backlog; by then another copy
     * delivered that change and a newer one. The row must not put the older status back.
     */
    @Test
    void aCopyComingBackFromTheReceiverBacklogNeverPutsAnOlderStatusBack() {
        ReceiverLane lane = lane(16, 100, true);
        BroadcastRecord connected = clientInfo(CPO, "CONNECTED").withCopies(2).withVersion(7);
        BroadcastRecord offline = clientInfo(CPO, "OFFLINE").withCopies(2).withVersion(9);
        lane.submit(delivery(connected), false);             // partition 0: the receiver is down
        sent.get(0).end().tryEmitValue(DOWN);
        lane.submit(delivery(connected), false);             // partition 1
        sent.get(1).ok();
        lane.submit(delivery(offline), false);               // partition 1
        sent.get(2).ok();
        // partition 0's rows drain once the receiver is back
        Mono<DeliveryClient.Result> oldRow = lane.submit(delivery(connected), false);
        Mono<DeliveryClient.Result> newRow = lane.submit(delivery(offline), false);

        assertThat(oldRow.block(WAIT).outcome()).isEqualTo(DeliveryOutcome.COPY);
        assertThat(newRow.block(WAIT).outcome()).isEqualTo(DeliveryOutcome.COPY);
        assertThat(bodies()).containsExactly("{\"status\":\"CONNECTED\"}", "{\"status\":\"CONNECTED\"}",
                "{\"status\":\"OFFLINE\"}");
        assertThat(lane.bookkeeping()).isZero();
    }

    /** A newcomer's list entry (one record, the version of the event that sent it) never follows a newer change. */
    @Test
    void aNewcomersListEntryOlderThanAChangeAlreadySentIsNotSent() {
        ReceiverLane lane = lane(16, 100, true);
        BroadcastRecord offline = clientInfo(CPO, "OFFLINE").withCopies(2).withVersion(9);
        BroadcastRecord listed = clientInfo(CPO, "CONNECTED").withVersion(8);
        lane.submit(delivery(offline), false);
        sent.get(0).ok();
        Mono<DeliveryClient.Result> list = lane.submit(delivery(listed), false);
        Mono<DeliveryClient.Result> copy = lane.submit(delivery(offline), false);

        assertThat(list.block(WAIT).outcome()).isEqualTo(DeliveryOutcome.COPY);
        assertThat(copy.block(WAIT).outcome()).isEqualTo(DeliveryOutcome.COPY);
        assertThat(bodies()).containsExactly("{\"status\":\"OFFLINE\"}");
        assertThat(lane.bookkeeping()).isZero();
    }

    /** Copies held back unsent behind one that found the receiver down are still expected, as rows. */
    @Test
    void copiesHeldForADownReceiverAreSentOnceWhateverPathTheyComeBackBy() {
        ReceiverLane lane = lane(16, 100, true);
        BroadcastRecord connected = clientInfo(CPO, "CONNECTED").withCopies(3).withVersion(7);
        Mono<DeliveryClient.Result> first = lane.submit(delivery(connected), false);
        Mono<DeliveryClient.Result> held = lane.submit(delivery(connected), false);
        sent.get(0).end().tryEmitValue(DOWN);
        assertThat(first.block(WAIT).unreachable()).isTrue();
        assertThat(held.block(WAIT).unreachable()).isTrue();
        lane.submit(delivery(connected), false);
        sent.get(1).ok();
        // both come back from the receiver backlog
        assertThat(lane.submit(delivery(connected), false).block(WAIT).outcome()).isEqualTo(DeliveryOutcome.COPY);
        assertThat(lane.submit(delivery(connected), false).block(WAIT).outcome()).isEqualTo(DeliveryOutcome.COPY);
        assertThat(sent).hasSize(2);
        assertThat(lane.bookkeeping()).isZero();
    }

    @Test
    void aWholePutReplacesWaitingPushesOfTheObjectAndItsParts() {
        ReceiverLane lane = lane(16, 100, true);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true);
        Mono<DeliveryClient.Result> patch = lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE1")), false);
        Mono<DeliveryClient.Result> evse = lane.submit(delivery(location("PUT", "/NL/CPO/LOC1/EVSE2")), false);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), false);

        assertThat(lane.waiting()).isEqualTo(1);
        sent.get(0).ok();
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1", "PUT /NL/CPO/LOC1");
        sent.get(1).ok();
        assertThat(patch.block(WAIT).outcome()).isEqualTo(DeliveryOutcome.CONFLATED);
        assertThat(evse.block(WAIT).outcome()).isEqualTo(DeliveryOutcome.CONFLATED);
    }

    @Test
    void anEvsePutDoesNotReplaceAWaitingPutOfTheWholeLocation() {
        ReceiverLane lane = lane(16, 100, true);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), false);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), false);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC1/EVSE1")), false);
        assertThat(lane.waiting()).isEqualTo(2);
    }

    @Test
    void storedPatchesWaitingForOneObjectBecomeOneDeliveryOfItsStoredState() {
        ReceiverLane lane = lane(16, 100, true);
        lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE1")), true);
        List<Mono<DeliveryClient.Result>> storm = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            storm.add(lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE" + (i % 3))), true));
        }

        // the first is in flight; the 50 behind it became one delivery of the stored Location, the newest push's
        assertThat(lane.waiting()).isEqualTo(1);
        sent.get(0).ok();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).what()).startsWith("CURRENT /NL/CPO/LOC1/EVSE");
        assertThat(sent.get(1).job().covers().get(49)).isSameAs(sent.get(1).job().delivery());
        // should the store hold no whole Location, the current-state delivery sends what it stands for, in order
        assertThat(sent.get(1).job().covers()).hasSize(50);
        // none has ended yet: each ends when the change it holds reached the receiver
        assertThat(storm).allSatisfy(r -> assertThat(r.toFuture().getNow(null)).isNull());
        sent.get(1).ok();
        assertThat(storm.get(49).block(WAIT)).isEqualTo(OK);
        assertThat(storm.subList(0, 49)).allSatisfy(r -> assertThat(r.block(WAIT).outcome())
                .isEqualTo(DeliveryOutcome.CONFLATED));
    }

    @Test
    void supersededDeliveriesFailWithTheDeliveryThatCarriedThem() {
        ReceiverLane lane = lane(16, 100, true);
        lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE1")), true);
        Mono<DeliveryClient.Result> second = lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE1")), true);
        lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE2")), true);
        sent.get(0).ok();
        sent.get(1).end().tryEmitValue(new DeliveryClient.Result(DeliveryOutcome.FAILED, 4, "receiver timed out"));

        // recorded for replay like the delivery that carried it: its change did not reach the receiver
        DeliveryClient.Result result = second.block(WAIT);
        assertThat(result.outcome()).isEqualTo(DeliveryOutcome.FAILED);
        assertThat(result.error()).contains("receiver timed out");
        assertThat(lane.bookkeeping()).isZero();
    }

    @Test
    void whenTheReceiverCannotBeReachedTheObjectsLaterDeliveriesEndUnsentInsteadOfOvertakingIt() {
        ReceiverLane lane = lane(16, 100, false);
        Mono<DeliveryClient.Result> first = lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true);
        Mono<DeliveryClient.Result> second = lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE1")), true);
        Mono<DeliveryClient.Result> third = lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE2")), true);
        Mono<DeliveryClient.Result> other = lane.submit(delivery(location("PUT", "/NL/CPO/LOC2")), true);
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1", "PUT /NL/CPO/LOC2");

        DeliveryClient.Result down = new DeliveryClient.Result(DeliveryOutcome.FAILED, 4,
                "cannot connect to the receiver", null, null, null, true);
        sent.get(0).end().tryEmitValue(down);

        // the first waits for the receiver in the backlog; LOC1's later pushes must not reach it before, so they
        // end unsent (attempts 0) and wait there too, in order; another object is not concerned
        assertThat(first.block(WAIT)).isEqualTo(down);
        for (Mono<DeliveryClient.Result> held : List.of(second, third)) {
            DeliveryClient.Result result = held.block(WAIT);
            assertThat(result.unreachable()).isTrue();
            assertThat(result.attempts()).isZero();
        }
        assertThat(sentSoFar()).containsExactly("PUT /NL/CPO/LOC1", "PUT /NL/CPO/LOC2");
        sent.get(1).ok();
        assertThat(other.block(WAIT)).isEqualTo(OK);
        assertThat(lane.bookkeeping()).isZero();
        assertThat(lane.waiting()).isZero();
    }

    @Test
    void aPushTheStoreMayNotHoldIsNeverReplacedByTheStoredState() {
        ReceiverLane lane = lane(16, 100, true);
        lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE1")), true);
        lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE1")), false);
        lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE1")), true);
        assertThat(lane.waiting()).isEqualTo(2);
    }

    @Test
    void tokensAreNeverReplacedByTheStoredState() {
        ReceiverLane lane = lane(16, 100, true);
        BroadcastRecord patch = new BroadcastRecord(UUID.randomUUID().toString(), "c", ModuleId.TOKENS, "PATCH",
                EMSP, Role.EMSP, UUID.randomUUID(), "/NL/MSP/TOK1", null, "{}".getBytes(StandardCharsets.UTF_8),
                Instant.now());
        lane.submit(new Delivery(patch, RECEIVER, CPO), true);
        lane.submit(new Delivery(patch, RECEIVER, CPO), true);
        lane.submit(new Delivery(patch, RECEIVER, CPO), true);
        assertThat(lane.waiting()).isEqualTo(2);
    }

    @Test
    void withConflationOffEveryPushIsSent() {
        ReceiverLane lane = lane(16, 100, false);
        for (int i = 0; i < 5; i++) {
            lane.submit(delivery(location("PATCH", "/NL/CPO/LOC1/EVSE1")), true);
        }
        for (int i = 0; i < 5; i++) {
            sent.get(i).ok();
        }
        assertThat(sent).hasSize(5);
    }

    @Test
    void aFullLaneRefusesAtOnceWithAReasonAndCountsOnlyWhatWaits() {
        ReceiverLane lane = lane(1, 3, false);
        for (int i = 0; i < 4; i++) {
            lane.submit(delivery(location("PUT", "/NL/CPO/LOC" + i)), true);
        }
        DeliveryClient.Result refused = lane.submit(delivery(location("PUT", "/NL/CPO/LOC9")), true).block(WAIT);
        assertThat(refused.outcome()).isEqualTo(DeliveryOutcome.FAILED);
        assertThat(refused.error()).contains("receiver backlog full");
        assertThat(lane.waiting()).isEqualTo(3);
    }

    @Test
    void aFullLaneStillTakesAPushThatReplacesWaitingOnes() {
        ReceiverLane lane = lane(1, 2, true);
        lane.submit(delivery(location("PUT", "/NL/CPO/LOC1")), true);
        lane.submit(delivery(location("PATCH", "/NL/CPO/LOC2/EVSE1")), true);
        lane.submit(delivery(location("PATCH", "/NL/CPO/LOC3/EVSE1")), true);
        assertThat(lane.waiting()).isEqualTo(2);

        // a newer push of a waiting object takes its place: accepted, and the lane is no fuller
        Mono<DeliveryClient.Result> newer = lane.submit(delivery(location("PATCH", "/NL/CPO/LOC2/EVSE1")), true);
        assertThat(newer.toFuture().getNow(null)).isNull();
        assertThat(lane.waiting()).isEqualTo(2);
        // a push of another object is one more: refused
        assertThat(lane.submit(delivery(location("PUT", "/NL/CPO/LOC9")), true).block(WAIT).outcome())
                .isEqualTo(DeliveryOutcome.FAILED);
    }

    @Test
    void deliveriesThatEndAtOnceDoNotDeepenTheStack() {
        AtomicInteger sends = new AtomicInteger();
        ReceiverLane lane = new ReceiverLane(job -> {
            sends.incrementAndGet();
            return Mono.just(OK);
        }, 1, 200_000, false);
        Sinks.One<DeliveryClient.Result> gate = Sinks.one();
        ReceiverLane gated = new ReceiverLane(job -> job.delivery().record().suffix().endsWith("GATE")
                ? gate.asMono() : Mono.just(OK), 1, 200_000, false);
        for (int i = 0; i < 100_000; i++) {
            lane.submit(delivery(location("PUT", "/NL/CPO/L" + i)), true);
        }
        assertThat(sends.get()).isEqualTo(100_000);

        // a backlog of 100 000 behind one delivery, all ending at once when it ends: one loop, not a deep recursion
        gated.submit(delivery(location("PUT", "/NL/CPO/GATE")), true);
        List<Mono<DeliveryClient.Result>> behind = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            behind.add(gated.submit(delivery(location("PUT", "/NL/CPO/L" + i)), true));
        }
        gate.tryEmitValue(OK);
        assertThat(behind.get(99_999).block(WAIT)).isEqualTo(OK);
        assertThat(gated.waiting()).isZero();
    }

    private static Delivery delivery(BroadcastRecord record) {
        return new Delivery(record, RECEIVER, EMSP);
    }

    private static BroadcastRecord location(String method, String suffix) {
        return locationOf(CPO, method, suffix);
    }

    private static BroadcastRecord locationOf(PartyId owner, String method, String suffix) {
        return new BroadcastRecord(UUID.randomUUID().toString(), "corr", ModuleId.LOCATIONS, method, owner, Role.CPO,
                UUID.randomUUID(), suffix, null, "{}".getBytes(StandardCharsets.UTF_8), Instant.now());
    }

    private static BroadcastRecord clientInfo(PartyId party, String status) {
        return new BroadcastRecord(UUID.randomUUID().toString(), "corr", ModuleId.HUB_CLIENT_INFO, "PUT", party,
                Role.CPO, null, "/" + party.countryCode() + "/" + party.partyId(), null,
                ("{\"status\":\"" + status + "\"}").getBytes(StandardCharsets.UTF_8), Instant.now());
    }
}
