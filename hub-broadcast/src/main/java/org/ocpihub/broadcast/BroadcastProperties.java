package org.ocpihub.broadcast;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Broadcast settings ({@code hub.broadcast.*}): the Kafka topic and its partitions, the consumer group every hub
 * instance joins (so each push is fanned out once, not once per instance), retries of transient delivery failures,
 * the time a receiver gets per delivery, how many deliveries may wait for one slow receiver, and how soon Kafka hands
 * a dead instance's partitions to the others (its consumer session timeout).
 *
 * <p>{@code in-flight-per-receiver} (default 16): deliveries sent to one receiving platform at once, each object's
 * still one after another. A member on the internet answers in 20–200 ms; 16 at once lets one receiver take 80–800
 * deliveries per second, above a national CPO's EVSE status rate with room for bursts, while staying within what a
 * member's HTTP server expects from one client (browsers open 6 connections per host, HTTP/2 servers advertise 100
 * streams). {@code conflation} (default on): a delivery still waiting when a newer push of the same object arrives
 * is replaced by that push, or by one PUT of the object's stored state.
 *
 * <p>{@code receiver-backlog} (default 1 000) and {@code memory-backlog} (default 100 000): deliveries that may wait in
 * memory for one receiving platform, and for all of them together; beyond either, a receiver's further deliveries
 * wait in PostgreSQL ({@link org.ocpihub.broadcast.fanout.ReceiverBacklog}). With 1 000 members each a little behind
 * (Hub Client Info at onboarding), the per-receiver bound alone would allow a million in memory.
 *
 * <p>{@code max-backlog} (default 100 000; 0 = never): when more accepted pushes than this wait for their fan-out to
 * end (over every instance, measured every {@code backlog-check}), new pushes are refused with HTTP 429 and
 * {@code Retry-After} until the backlog is back under 90 % of it ({@link
 * org.ocpihub.broadcast.accept.BroadcastBackpressure}).
 *
 * <p>{@code group-protocol} (default {@code classic}): how the hub instances share the topic's partitions. Under
 * {@code classic} the consumers use the cooperative-sticky assignor (KIP-429): when an instance joins or leaves, only
 * the partitions that move are revoked and every other keeps being fanned out; {@code session-timeout} applies.
 * {@code consumer} is the KIP-848 protocol (Kafka 4.0+ brokers): the broker assigns, incrementally too, and the
 * session timeout is the broker's {@code group.consumer.session.timeout.ms} ({@code session-timeout} is not sent;
 * the client refuses it). {@code handover-grace} (default 1 s): when a partition moves away, how long the instance
 * waits for its deliveries already on the wire to end before letting the new owner start, so the new owner's resend of
 * an object cannot overtake them; deliveries of the partition not yet started are withdrawn at once.
 *
 * <p>{@code delivery-threads} (default -1: Reactor Netty's default of one per core but at least 4; the loops
 * serving requests are {@code hub.http.event-loops}, one per core but at least 2): the event loops broadcast deliveries and Hub Client Info
 * pushes run on, with their own connection pool ({@code ocpihub-delivery}), apart from the loops that serve and
 * route members' requests. A fan-out storm (1.5 million ClientInfo PUTs while 1 000 members onboard) then keeps
 * its own queues: a routed request is not read, forwarded or answered behind thousands of queued delivery tasks,
 * and the operating system's scheduler favours the routing threads, which sleep most of the time, over the busy
 * delivery ones. {@code 0}: deliveries share the hub's loops and outbound pool (the behaviour before).
 *
 * <p>{@code partition-key} (default {@code object}): what the Kafka key of a push is. {@code object} (module, owner,
 * object id; an EVSE or connector push is its Location's): one owner's pushes spread over every partition, so a big
 * CPO's fan-out uses every instance and core, with order kept per object; a Hub Client Info change is then written
 * into every partition (a fence for the party's data in each) and sent once per receiver. {@code owner}: one owner's
 * pushes share a partition (the behaviour before issue 11); a Hub Client Info change is written once. Change it only
 * with an empty log: records already written under the other key may be fanned out out of order with new ones.
 *
 * <p>{@code client-info-planned-delay} (default 2 s; 0 = at once): how long the Hub Client Info announcement of a
 * party becoming PLANNED (created, or reactivated before registering) waits before it is sent to the other members.
 * If the platform changes status meanwhile (it registers: CONNECTED), the waiting PLANNED is dropped and only the
 * newer status goes out, so onboarding a member (create, then handshake) costs each other member one ClientInfo PUT
 * instead of two (issue 11: at 1 000 members, a third of the 1.5 million). PLANNED asks nothing of a member (send
 * no requests yet, HCI 15.1), so announcing it a moment later costs nobody anything.
 */
@ConfigurationProperties("hub.broadcast")
public record BroadcastProperties(
        @DefaultValue("ocpihub.broadcasts") String topic,
        @DefaultValue("8") int partitions,
        @DefaultValue("ocpihub-fanout") String consumerGroup,
        @DefaultValue Retry retry,
        @DefaultValue("10s") Duration deliveryTimeout,
        @DefaultValue("1000") int receiverBacklog,
        @DefaultValue("10s") Duration sessionTimeout,
        @DefaultValue("16") int inFlightPerReceiver,
        @DefaultValue("true") boolean conflation,
        @DefaultValue("100000") long maxBacklog,
        @DefaultValue("1s") Duration backlogCheck,
        @DefaultValue("100000") int memoryBacklog,
        @DefaultValue("classic") String groupProtocol,
        @DefaultValue("1s") Duration handoverGrace,
        @DefaultValue("-1") int deliveryThreads,
        @DefaultValue("object") String partitionKey,
        @DefaultValue("2s") Duration clientInfoPlannedDelay) {

    public BroadcastProperties {
        if (inFlightPerReceiver < 1 || inFlightPerReceiver > 1024) {
            throw new IllegalArgumentException("hub.broadcast.in-flight-per-receiver must be from 1 to 1024, not "
                    + inFlightPerReceiver);
        }
        if (maxBacklog < 0) {
            throw new IllegalArgumentException("hub.broadcast.max-backlog must be 0 (off) or more, not " + maxBacklog);
        }
        if (backlogCheck.isNegative() || backlogCheck.isZero()) {
            throw new IllegalArgumentException("hub.broadcast.backlog-check must be positive, not " + backlogCheck);
        }
        if (memoryBacklog < 1) {
            throw new IllegalArgumentException("hub.broadcast.memory-backlog must be at least 1, not "
                    + memoryBacklog);
        }
        if (!"classic".equals(groupProtocol) && !"consumer".equals(groupProtocol)) {
            throw new IllegalArgumentException("hub.broadcast.group-protocol must be classic or consumer, not "
                    + groupProtocol);
        }
        if (handoverGrace.isNegative()) {
            throw new IllegalArgumentException("hub.broadcast.handover-grace must not be negative, not "
                    + handoverGrace);
        }
        if (deliveryThreads < -1) {
            throw new IllegalArgumentException("hub.broadcast.delivery-threads must be -1 (as many as the serving "
                    + "loops), 0 (share the serving loops) or more, not " + deliveryThreads);
        }
        if (!"object".equals(partitionKey) && !"owner".equals(partitionKey)) {
            throw new IllegalArgumentException("hub.broadcast.partition-key must be object or owner, not "
                    + partitionKey);
        }
        if (clientInfoPlannedDelay.isNegative()) {
            throw new IllegalArgumentException("hub.broadcast.client-info-planned-delay must not be negative, not "
                    + clientInfoPlannedDelay);
        }
        if (receiverBacklog < 1) {
            throw new IllegalArgumentException("hub.broadcast.receiver-backlog must be at least 1, not "
                    + receiverBacklog);
        }
    }

    /** Whether pushes are keyed by object ({@code partition-key=object}) rather than by owner. */
    public boolean keyedByObject() {
        return "object".equals(partitionKey);
    }

    /** Transient failures (no connection, timeout, HTTP 5xx, OCPI 3xxx) are retried with exponential backoff. */
    public record Retry(@DefaultValue("4") int maxAttempts,
                        @DefaultValue("2s") Duration initialBackoff,
                        @DefaultValue("20s") Duration maxBackoff) {
    }
}
