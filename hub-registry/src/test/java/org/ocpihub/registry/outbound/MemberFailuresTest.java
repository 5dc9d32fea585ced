package org.ocpihub.registry.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ocpihub.registry.secret.EndpointUrlPolicy;

import io.netty.handler.timeout.ReadTimeoutException;

/** The one rule of what counts as a member platform's failure (breaker, delivery retries, still-alive). */
class MemberFailuresTest {

    /** A failure that is not the member's, as the requester's hang-up is. */
    static final class Gone extends RuntimeException implements NotAMemberFailure {
        Gone(Throwable cause) {
            super("gone", cause);
        }
    }

    @Test
    void connectionErrorsTimeoutsAndPolicyRefusalsAreTheMembersFailures() {
        assertThat(MemberFailures.isFailure(new ConnectException("refused"))).isTrue();
        assertThat(MemberFailures.isFailure(new RuntimeException(new UnknownHostException("x.invalid")))).isTrue();
        assertThat(MemberFailures.isFailure(new TimeoutException())).isTrue();
        assertThat(MemberFailures.isFailure(ReadTimeoutException.INSTANCE)).isTrue();
        assertThat(MemberFailures.isFailure(new EndpointUrlPolicy.UnsafeUrlException("internal address"))).isTrue();
    }

    @Test
    void aMarkedFailureAnywhereInTheChainIsNot() {
        assertThat(MemberFailures.isFailure(new Gone(new java.io.IOException("reset")))).isFalse();
        assertThat(MemberFailures.isFailure(new IllegalStateException(new Gone(null)))).isFalse();
    }

    @ParameterizedTest
    @CsvSource({"500,-1,true", "503,3000,true", "599,1000,true", "200,3001,true", "200,3000,true",
            "200,1000,false", "404,2003,false", "400,-1,false", "401,-1,false", "200,2001,false", "200,4000,false",
            "302,-1,false"})
    void answersCountByTheirHttpStatusAndOcpiServerErrors(int http, int ocpi, boolean failure) {
        assertThat(MemberFailures.isFailure(http, ocpi)).isEqualTo(failure);
    }

    @Test
    void theBreakersResultPredicateReadsTheHttpStatusOfAnAnswer() {
        assertThat(MemberFailures.isFailedAnswer((MemberFailures.HttpAnswer) () -> 500)).isTrue();
        assertThat(MemberFailures.isFailedAnswer((MemberFailures.HttpAnswer) () -> 502)).isTrue();
        assertThat(MemberFailures.isFailedAnswer((MemberFailures.HttpAnswer) () -> 404)).isFalse();
        assertThat(MemberFailures.isFailedAnswer("not an answer")).isFalse();
    }
}
