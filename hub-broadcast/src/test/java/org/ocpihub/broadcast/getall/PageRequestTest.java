package org.ocpihub.broadcast.getall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Reading the pagination parameters (TF 4.1.4.1) and building the next page's query. */
class PageRequestTest {

    @Test
    void withoutParametersThePageStartsAtZeroWithTheCap() {
        PageRequest request = PageRequest.parse(null, 100);

        assertThat(request.offset()).isZero();
        assertThat(request.limit()).isEqualTo(100);
        assertThat(request.dateFrom()).isNull();
        assertThat(request.dateTo()).isNull();
        assertThat(request.queryWithOffset(100)).isEqualTo("offset=100");
    }

    @Test
    void aLimitAboveTheCapIsCappedAndOneBelowIsKept() {
        assertThat(PageRequest.parse("limit=1000", 100).limit()).isEqualTo(100);
        assertThat(PageRequest.parse("limit=7", 100).limit()).isEqualTo(7);
        assertThat(PageRequest.parse("limit=99999999999", 100).limit()).isEqualTo(100);
        assertThat(PageRequest.parse("offset=99999999999", 100).offset()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void datesAreReadEncodedOrNot() {
        PageRequest request = PageRequest.parse("date_from=2024-01-01T00%3A00%3A00Z&date_to=2024-02-01T01:00:00%2B01:00"
                + "&offset=20", 50);

        assertThat(request.dateFrom()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(request.dateTo()).isEqualTo(Instant.parse("2024-02-01T00:00:00Z"));
        assertThat(request.offset()).isEqualTo(20);
        assertThat(PageRequest.parse("date_from=2024-01-01T02:00:00+02:00", 50).dateFrom())
                .isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    }

    @Test
    void theNextQueryKeepsEveryFilterAsReceivedAndReplacesTheOffset() {
        PageRequest request = PageRequest.parse("date_from=2024-01-01T00%3A00%3A00Z&offset=20&limit=10&x=a%20b", 50);

        assertThat(request.queryWithOffset(30)).isEqualTo("date_from=2024-01-01T00%3A00%3A00Z&limit=10&x=a%20b&offset=30");
    }

    @Test
    void aCursorHoldsAnyTimeAMemberMaySendBeyondTheNanosecondRange() {
        // past 2262-04-11 a count in nanoseconds overflows a long; OCPI allows any DateTime, and PostgreSQL stores it
        for (String time : new String[] {"2262-04-11T23:47:16.854776Z", "2277-10-13T10:00:00.000001Z",
                "9999-12-31T23:59:59.999999Z", "1900-01-01T00:00:00.5Z"}) {
            PageCursor cursor = new PageCursor(Instant.parse(time), "NL", "CPO", "LOC1", 3);
            assertThat(PageCursor.parse(cursor.encode())).as(time).isEqualTo(cursor);
            // the same times as the window a member asks for
            PageRequest request = PageRequest.parse("date_from=" + time + "&after=" + cursor.encode(), 100);
            assertThat(request.dateFrom()).as(time).isEqualTo(Instant.parse(time));
            assertThat(request.after()).as(time).isEqualTo(cursor);
        }
    }

    @Test
    void theNextQueryCarriesTheCursorAndReplacesAnEarlierOne() {
        PageCursor cursor = new PageCursor(Instant.parse("2024-01-01T00:00:00.123456Z"), "NL", "CPO", "LOC|7", 1234);
        PageRequest request = PageRequest.parse("limit=10&after=" + cursor.encode() + "&offset=10", 50);

        assertThat(request.after()).isEqualTo(cursor);
        PageCursor next = new PageCursor(Instant.parse("2024-01-02T00:00:00Z"), "DE", "ABC", "X", 1234);
        assertThat(request.queryWith(20, next)).isEqualTo("limit=10&offset=20&after=" + next.encode());
        // what the hub writes it reads back whole: microseconds, an id holding the separator, the total
        assertThat(PageCursor.parse(cursor.encode())).isEqualTo(cursor);
        assertThat(cursor.encode()).matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aCursorTheHubDidNotWriteIsRefusedNamingAfter() {
        String good = new PageCursor(Instant.parse("2024-01-01T00:00:00Z"), "NL", "CPO", "L1", 5).encode();
        assertInvalid("after=", "after");
        assertInvalid("after=%%%", "after");
        assertInvalid("after=" + good.substring(0, good.length() - 3), "after");
        assertInvalid("after=" + java.util.Base64.getUrlEncoder().encodeToString("k1|x|NL|CPO|L1|5".getBytes()),
                "after");
        assertInvalid("after=" + java.util.Base64.getUrlEncoder().encodeToString("k0|1|NL|CPO|L1|5".getBytes()),
                "after");
        assertInvalid("after=" + good + "&after=" + good, "after");
    }

    @Test
    void badValuesAreRefusedNamingTheParameter() {
        assertInvalid("offset=-1", "offset");
        assertInvalid("offset=abc", "offset");
        assertInvalid("limit=0", "limit");
        assertInvalid("limit=", "limit");
        assertInvalid("limit=+5", "limit");
        assertInvalid("date_from=yesterday", "date_from");
        assertInvalid("date_to=2024-13-01T00:00:00Z", "date_to");
    }

    /** A parameter given twice is ambiguous: refused naming it, even with equal values or an encoded name. */
    @Test
    void aParameterGivenTwiceIsRefusedNamingIt() {
        assertInvalid("date_from=2024-01-01T00:00:00Z&date_from=2025-01-01T00:00:00Z", "date_from");
        assertInvalid("date_to=2024-01-01T00:00:00Z&limit=5&date_to=2024-01-01T00:00:00Z", "date_to");
        assertInvalid("offset=0&offset=10", "offset");
        assertInvalid("limit=10&limit=10", "limit");
        assertInvalid("limit=10&lim%69t=20", "limit");
        assertThat(PageRequest.parse("x=1&x=2&limit=3", 100).limit()).isEqualTo(3); // not a paging parameter
    }

    private static void assertInvalid(String query, String parameter) {
        assertThatThrownBy(() -> PageRequest.parse(query, 100))
                .isInstanceOf(PageRequest.InvalidParameterException.class)
                .hasMessageStartingWith("query parameter " + parameter + " ");
    }
}
