package org.ocpihub.broadcast.log;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link AssignmentStamp#after}: an operator's consumer interceptors run first, the hub's stamp last. */
class AssignmentStampAfterTest {

    private static final String STAMP = AssignmentStamp.class.getName();

    @Test
    void withoutTheOperatorsOwnOnlyTheStamp() {
        assertThat(AssignmentStamp.after(null)).isEqualTo(STAMP);
        assertThat(AssignmentStamp.after("  ")).isEqualTo(STAMP);
    }

    @Test
    void theOperatorsOwnComeFirst() {
        assertThat(AssignmentStamp.after(" com.example.Tracing,com.example.Audit "))
                .isEqualTo("com.example.Tracing,com.example.Audit," + STAMP);
    }
}
