package org.ocpihub.router.forward;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.party.PartyId;

/** Issue 7 item 8: a message to a member names no Java class. */
class ForwardErrorsTest {

    @Test
    void anUnexpectedFailureIsReportedWithoutItsJavaClass() {
        RoutingException mapped = ForwardErrors.of(new IllegalArgumentException("Illegal character in path"),
                PartyId.of("NL", "CPO"), 10);
        assertThat(mapped.getMessage()).contains("NL", "CPO", "failed unexpectedly")
                .doesNotContain("IllegalArgumentException", "Exception", "java.");
        RoutingException state = ForwardErrors.of(new IllegalStateException(), PartyId.of("NL", "CPO"), 10);
        assertThat(state.getMessage()).doesNotContain("Exception");
    }
}
