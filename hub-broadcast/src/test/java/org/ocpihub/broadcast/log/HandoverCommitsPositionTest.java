package org.ocpihub.broadcast.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;

/**
 * {@link HandoverCommits#position}: a newly assigned partition's position is asked again through wake-ups, but not
 * for ever. (With a real consumer and a real group: hub-app's {@code HandoverCommitsWakeupTest}.)
 */
class HandoverCommitsPositionTest {

    private final HandoverCommits handover = new HandoverCommits("topic");

    @Test
    void aPositionInterruptedByWakeUpsIsAskedAgain() {
        AtomicInteger asked = new AtomicInteger();
        long position = handover.position(() -> {
            if (asked.incrementAndGet() <= 3) {
                throw new WakeupException();
            }
            return 42;
        });

        assertThat(position).isEqualTo(42);
        assertThat(asked).hasValue(4);
    }

    @Test
    void wakeUpsPastTheDeadlineFailTheConsumerInsteadOfLeavingThePartitionUnannounced() {
        AtomicInteger asked = new AtomicInteger();
        assertThatThrownBy(() -> handover.position(() -> {
            asked.incrementAndGet();
            throw new WakeupException();
        }, Duration.ZERO))
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("newly assigned partition")
                .hasCauseInstanceOf(WakeupException.class);
        assertThat(asked).hasValue(1);
    }
}
