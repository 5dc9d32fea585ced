package org.ocpihub.broadcast.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.ocpihub.broadcast.fanout.ReceiverBacklog.PartitionMoved;

import reactor.core.publisher.Mono;

/**
 * {@link ReceiverBacklog#moved}: the fan-out must not acknowledge a record any of whose deliveries ended because its
 * partition moved, however the record's ends were joined. A record's deliveries end together through
 * {@code whenDelayError}, which reports two errors as one composite.
 */
class PartitionMovedTest {

    private static Throwable endOf(Mono<Void> record) {
        return record.materialize().block(Duration.ofSeconds(5)).getThrowable();
    }

    @Test
    void aRecordTwoOfWhoseDeliveriesMovedIsLeftToTheNewOwner() {
        Throwable ended = endOf(Mono.whenDelayError(Mono.error(PartitionMoved.INSTANCE),
                Mono.error(PartitionMoved.INSTANCE)));

        assertThat(ReceiverBacklog.moved(ended)).isTrue();
    }

    @Test
    void aRecordWhoseKeptRowsAndLaneDeliveriesMovedIsLeftToTheNewOwner() {
        // as ReceiverBacklog.submit joins them: the lanes' ends, then the kept rows' commit
        Throwable ended = endOf(Mono.whenDelayError(Mono.whenDelayError(Mono.error(PartitionMoved.INSTANCE),
                Mono.error(PartitionMoved.INSTANCE)), Mono.error(PartitionMoved.INSTANCE)));

        assertThat(ReceiverBacklog.moved(ended)).isTrue();
    }

    @Test
    void oneMovedDeliveryAmongFailuresStillLeavesTheRecordToTheNewOwner() {
        Throwable ended = endOf(Mono.whenDelayError(Mono.error(new IllegalStateException("failed")),
                Mono.error(PartitionMoved.INSTANCE)));

        assertThat(ReceiverBacklog.moved(ended)).isTrue();
    }

    @Test
    void otherFailuresAreNotAMove() {
        Throwable ended = endOf(Mono.whenDelayError(Mono.error(new IllegalStateException("failed")),
                Mono.error(new IllegalStateException("failed too"))));

        assertThat(ReceiverBacklog.moved(ended)).isFalse();
        assertThat(ReceiverBacklog.moved(new IllegalStateException("failed"))).isFalse();
    }
}
