package org.ocpihub.broadcast.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.ocpihub.broadcast.BroadcastProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.kafka.receiver.KafkaReceiver;
import reactor.kafka.receiver.ReceiverOptions;
import reactor.kafka.sender.KafkaSender;
import reactor.kafka.sender.SenderOptions;
import reactor.kafka.sender.SenderRecord;

/**
 * The broadcast log on Kafka (reactor-kafka): an idempotent producer with acks from all in-sync replicas, records
 * keyed by object (or owner, {@code hub.broadcast.partition-key}) so that one object's pushes stay in order on one
 * partition, a Hub Client Info change copied into every partition, and one consumer group shared by every
 * hub instance, rebalanced incrementally ({@code hub.broadcast.group-protocol}). Offsets are committed only for
 * records acknowledged as handled, out of order allowed (deferred commits): a crash means redelivery (at least once),
 * never loss.
 */
public class KafkaBroadcastLog implements BroadcastLog, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(KafkaBroadcastLog.class);

    private final KafkaConnection connection;
    private final BroadcastProperties properties;
    private final KafkaSender<String, byte[]> sender;
    private final KafkaClientMeters meters;
    /** For {@link #backlog()}: offsets, asked without blocking (its futures complete on the admin client's thread). */
    private final Admin admin;
    private volatile List<TopicPartition> partitions = List.of();
    /** The topic's partitions, as the broker has them (an existing topic may have more than configured). */
    private final int partitionCount;
    /** Numbers every assign callback of every consumer of this log: see {@link AssignmentStamp.Assignments}. */
    private final AtomicLong assignmentNumbers = new AtomicLong();

    /** A log whose Kafka clients are not bound to any meter registry. */
    public KafkaBroadcastLog(String bootstrapServers, BroadcastProperties properties) {
        this(KafkaConnection.plaintext(bootstrapServers), properties, new SimpleMeterRegistry());
    }

    /**
     * @param meters where the producer's and the fan-out consumer's Kafka client metrics go while they exist (e.g.
     *               {@code kafka_consumer_fetch_manager_records_lag_max})
     */
    public KafkaBroadcastLog(KafkaConnection connection, BroadcastProperties properties, MeterRegistry meters) {
        this.meters = new KafkaClientMeters(meters);
        this.connection = connection;
        this.properties = properties;
        this.partitionCount = createTopicIfMissing();
        this.admin = Admin.create(connection.clientConfig(Map.of()));
        this.sender = KafkaSender.create(SenderOptions.<String, byte[]>create(clientConfig("producer", Map.of(
                        ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                        ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000,
                        ProducerConfig.LINGER_MS_CONFIG, 1,
                        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class)))
                .stopOnError(false)
                .producerListener(this.meters));
        // reactor-kafka builds its producer on the first send's thread; that was an event loop (a registration's
        // Hub Client Info), where KafkaProducer's constructor blocks (JMX registration, config files): build it now,
        // at start-up, instead
        try {
            this.sender.doOnProducer(producer -> producer.metrics().size()).block(Duration.ofSeconds(30));
        } catch (RuntimeException e) {
            // e.g. a producer setting that contradicts idempotence: Spring will not call destroy() on a bean whose
            // constructor failed, and the sender's scheduler thread would keep the JVM alive
            destroy();
            throw e;
        }
    }

    @Override
    public Mono<Void> append(BroadcastRecord record) {
        return appendAll(List.of(record));
    }

    /** One producer batch for all: records to one partition keep their order (idempotent producer). */
    @Override
    public Mono<Void> appendAll(List<BroadcastRecord> records) {
        if (records.isEmpty()) {
            return Mono.empty();
        }
        return sender.send(Flux.fromIterable(records).concatMapIterable(this::producerRecords))
                .concatMap(result -> result.exception() == null ? Mono.<Void>empty() : Mono.error(result.exception()))
                .then();
    }

    /**
     * What one record becomes in Kafka (D7): keyed by object ({@code partition-key=object}) or owner, or, for a Hub
     * Client Info change when keyed by object, one copy per partition, each knowing how many there are.
     */
    private List<SenderRecord<String, byte[], String>> producerRecords(BroadcastRecord record) {
        if (!properties.keyedByObject() || !record.fencesEveryPartition()) {
            String key = properties.keyedByObject() ? record.objectKey() : record.owner().toString();
            return List.of(SenderRecord.create(new ProducerRecord<>(properties.topic(), key,
                    BroadcastRecordCodec.encode(record)), record.id()));
        }
        byte[] copy = BroadcastRecordCodec.encode(record.withCopies(partitionCount));
        List<SenderRecord<String, byte[], String>> copies = new ArrayList<>(partitionCount);
        for (int partition = 0; partition < partitionCount; partition++) {
            copies.add(SenderRecord.create(new ProducerRecord<>(properties.topic(), partition,
                    record.owner().toString(), copy), record.id()));
        }
        return copies;
    }

    /**
     * {@inheritDoc}
     * <p>Each subscription is a consumer of its own (the fan-out resubscribes to restart a failed one), with its own
     * hand-over state and its own view of which assignment each partition is under, so that a failed consumer closing
     * late hands over and commits only what it held, through itself. Assignment numbers grow over every subscription
     * of this log: a record of the failed consumer still in the pipeline never matches a newer consumer's number.
     */
    @Override
    public Flux<PendingBroadcast> consume(PartitionListener listener) {
        return Flux.defer(() -> consumeOnce(listener));
    }

    private Flux<PendingBroadcast> consumeOnce(PartitionListener listener) {
        HandoverCommits handover = new HandoverCommits(properties.topic());
        AssignmentStamp.Assignments assignments = new AssignmentStamp.Assignments(assignmentNumbers);
        ReceiverOptions<String, byte[]> options = ReceiverOptions.<String, byte[]>create(clientConfig("consumer",
                        consumerConfig(assignments)))
                .subscription(List.of(properties.topic()))
                .addAssignListener(assigned -> {
                    // position() asks the consumer; assign listeners run on its thread, before any record is given
                    Map<Integer, Long> positions = new HashMap<>();
                    assigned.forEach(p -> positions.put(p.topicPartition().partition(),
                            handover.position(p::position)));
                    // records polled from now on carry this number (AssignmentStamp), earlier ones of a partition
                    // given back to this instance an older one
                    long assignment = assignments.assign(positions.keySet());
                    positions.forEach((partition, position) -> handover.assigned(partition, position, assignment));
                    listener.assigned(positions, assignment);
                })
                .addRevokeListener(revoked -> {
                    List<Integer> moving = revoked.stream().map(p -> p.topicPartition().partition()).toList();
                    // reactor-kafka calls revoke listeners for lost partitions too; a commit tells them apart
                    boolean lost = !handover.stillOwner(moving);
                    Map<Integer, Long> ending = new HashMap<>();
                    moving.forEach(p -> ending.put(p, assignments.of(p)));
                    listener.revoked(ending, lost);
                    // what ended while the listener handed the partitions over (reactor-kafka committed before
                    // calling it)
                    handover.commitMoving(moving, lost);
                })
                .consumerListener(meters)
                // no wait for every record in the pipeline (all partitions, a slow receiver's too) before a partition
                // moves: that stalled the fan-out for up to a minute; the revoke listener waits, within
                // hub.broadcast.handover-grace, only for the moving partitions' deliveries already on the wire
                .maxDelayRebalance(Duration.ZERO)
                .commitInterval(Duration.ofMillis(200))
                .maxDeferredCommits(100_000); // deliveries finish out of order; commit only what is contiguous
        return KafkaReceiver.create(handover.consumerFactory(), options).receive()
                .flatMap(received -> {
                    int partition = received.partition();
                    long offset = received.offset();
                    long assignment = AssignmentStamp.of(received.headers());
                    if (assignment != assignments.of(partition)) {
                        if (assignment == 0) {
                            // never expected (the interceptor is the hub's own setting): say why the partition stops
                            log.error("broadcast record {}-{} carries no assignment stamp: not fanned out",
                                    partition, offset);
                        }
                        // fetched under an earlier assignment of a partition given back to this instance: the same
                        // record comes again from the committed offset (checked once more downstream, since the
                        // partition may come back while this one is on its way)
                        return Mono.empty();
                    }
                    handover.received(partition, offset, assignment);
                    Runnable acknowledge = () -> {
                        handover.acknowledged(partition, offset, assignment);
                        // a late acknowledgement after the partition came back would count for the same offset
                        // fetched again, before that copy was handled
                        if (assignments.of(partition) == assignment) {
                            received.receiverOffset().acknowledge();
                        }
                    };
                    try {
                        BroadcastRecord record = BroadcastRecordCodec.decode(received.value());
                        return Mono.just(new PendingBroadcast(record, partition, offset, acknowledge, assignment));
                    } catch (RuntimeException e) {
                        // a record nobody can read must not stall its partition
                        log.error("skipping unreadable broadcast record at {}-{}: {}", partition, offset,
                                e.toString());
                        acknowledge.run();
                        return Mono.empty();
                    }
                }, 1);
    }

    /**
     * The fan-out consumer's settings. Both protocols rebalance incrementally: an instance joining or leaving moves
     * some partitions, and the others are fanned out throughout (issue 11, item 5).
     */
    private Map<String, Object> consumerConfig(AssignmentStamp.Assignments assignments) {
        Map<String, Object> config = new HashMap<>(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, properties.consumerGroup(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG, AssignmentStamp.after(
                        connection.properties().get(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG)),
                AssignmentStamp.CONFIG, assignments));
        if ("consumer".equals(properties.groupProtocol())) {
            // KIP-848: the broker assigns and keeps the session timeout (group.consumer.session.timeout.ms); the
            // client refuses session.timeout.ms, heartbeat.interval.ms and partition.assignment.strategy
            config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");
        } else {
            config.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic");
            // KIP-429: only moving partitions are revoked (the default list starts with the eager RangeAssignor)
            config.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                    CooperativeStickyAssignor.class.getName());
            // a dead instance's partitions move to the living within this time
            config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) properties.sessionTimeout().toMillis());
            config.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                    (int) Math.max(1000, properties.sessionTimeout().toMillis() / 3));
        }
        return config;
    }

    @Override
    public Mono<Long> backlog() {
        return Mono.defer(() -> {
            Mono<List<TopicPartition>> known = partitions.isEmpty()
                    ? Mono.fromCompletionStage(admin.describeTopics(List.of(properties.topic())).allTopicNames()
                            .toCompletionStage()).map(topics -> {
                                List<TopicPartition> all = topics.get(properties.topic()).partitions().stream()
                                        .map(p -> new TopicPartition(properties.topic(), p.partition())).toList();
                                partitions = all;
                                return all;
                            })
                    : Mono.just(partitions);
            return known.flatMap(all -> Mono.zip(
                    Mono.fromCompletionStage(admin.listConsumerGroupOffsets(properties.consumerGroup())
                            .partitionsToOffsetAndMetadata().toCompletionStage()),
                    offsets(all, OffsetSpec.latest()),
                    offsets(all, OffsetSpec.earliest()))
                    .map(t -> {
                        long backlog = 0;
                        for (TopicPartition partition : all) {
                            long end = t.getT2().get(partition);
                            OffsetAndMetadata committed = t.getT1().get(partition);
                            // never committed: the group starts at the earliest record still kept
                            long from = committed != null ? committed.offset() : t.getT3().get(partition);
                            backlog += Math.max(0, end - from);
                        }
                        return backlog;
                    }));
        });
    }

    private Mono<Map<TopicPartition, Long>> offsets(List<TopicPartition> all, OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        all.forEach(partition -> request.put(partition, spec));
        return Mono.fromCompletionStage(admin.listOffsets(request).all().toCompletionStage())
                .map(result -> {
                    Map<TopicPartition, Long> offsets = new HashMap<>();
                    result.forEach((partition, info) -> offsets.put(partition, info.offset()));
                    return offsets;
                });
    }

    /**
     * At start-up (not on an event loop): the topic with its partitions, replicated as far as the cluster allows.
     *
     * @return how many partitions the topic has
     */
    private int createTopicIfMissing() {
        try (Admin admin = Admin.create(connection.clientConfig(Map.of()))) {
            Set<String> topics = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            if (topics.contains(properties.topic())) {
                return partitionsOf(admin);
            }
            int brokers = admin.describeCluster().nodes().get(15, TimeUnit.SECONDS).size();
            short replication = (short) Math.min(3, Math.max(1, brokers));
            NewTopic topic = new NewTopic(properties.topic(), properties.partitions(), replication)
                    .configs(Map.of("min.insync.replicas", String.valueOf(Math.max(1, replication - 1))));
            admin.createTopics(List.of(topic)).all().get(15, TimeUnit.SECONDS);
            log.info("created topic {} ({} partitions, replication {})", properties.topic(), properties.partitions(),
                    replication);
            return properties.partitions();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot set up Kafka topic " + properties.topic(), e);
            }
            return existingPartitions(); // another instance created it meanwhile
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + connection.bootstrapServers() + " does not answer", e);
        }
    }

    /** How many partitions the existing topic has (a new admin client: the one that failed was closed). */
    private int existingPartitions() {
        try (Admin admin = Admin.create(connection.clientConfig(Map.of()))) {
            return partitionsOf(admin);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot describe Kafka topic " + properties.topic(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka at " + connection.bootstrapServers() + " does not answer", e);
        }
    }

    /**
     * The topic's partition count, read once at start-up: copies of a Hub Client Info change go to these. Partitions
     * added later get copies only after every instance restarted (and adding partitions moves keys anyway: an
     * object's pushes before and after may be fanned out out of order; see {@code hub.broadcast.partitions}).
     */
    private int partitionsOf(Admin admin) throws ExecutionException, InterruptedException, TimeoutException {
        return admin.describeTopics(List.of(properties.topic())).allTopicNames().get(15, TimeUnit.SECONDS)
                .get(properties.topic()).partitions().size();
    }

    /** One client's configuration over the shared connection; says which shared properties its own settings replace. */
    private Map<String, Object> clientConfig(String client, Map<String, Object> own) {
        var overridden = connection.overriddenBy(own);
        overridden.remove(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG); // extended, not replaced (AssignmentStamp.after)
        if (!overridden.isEmpty()) {
            log.warn("spring.kafka.properties {} ignored by the broadcast {}: the hub sets them itself", overridden,
                    client);
        }
        return connection.clientConfig(own);
    }

    @Override
    public void destroy() {
        sender.close();
        admin.close(Duration.ofSeconds(2));
        meters.close();
    }
}
