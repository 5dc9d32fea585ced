package org.ocpihub.broadcast.getall;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

/**
 * Where the next page of a GET All via the hub starts (keyset paging): the sort key of the last object on the page
 * before ({@code last_updated}, owner, object id) and the total counted when the walk began. Carried in the {@code Link}
 * the hub hands out as {@code after=<cursor>}, so every page costs one index range scan, the same near the end of the
 * store as at its start, and no count. The text is opaque to members (base64url of a versioned, '|'-separated
 * record); the hub reads only what it wrote.
 *
 * @param lastUpdated the last object's {@code last_updated}, in microseconds (PostgreSQL's precision)
 * @param countryCode its owner's country code (upper-case, as stored)
 * @param partyId     its owner's party id
 * @param objectId    its id as stored (upper-case CiString key)
 * @param total       X-Total-Count as counted for the first page of this walk
 */
public record PageCursor(Instant lastUpdated, String countryCode, String partyId, String objectId, long total) {

    private static final String VERSION = "k1";

    /** The cursor as a query parameter value (URL-safe, no padding). */
    public String encode() {
        // from seconds and nanos, not ChronoUnit.MICROS.between: that one counts in nanoseconds first and overflows a
        // long after 2262-04-11, a last_updated any member may send (it made every GET All page of such objects a 500)
        long micros = Math.addExact(Math.multiplyExact(lastUpdated.getEpochSecond(), 1_000_000L),
                lastUpdated.getNano() / 1_000);
        String plain = String.join("|", VERSION, Long.toString(micros), countryCode, partyId, objectId,
                Long.toString(total));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a cursor the hub wrote; throws {@link PageRequest.InvalidParameterException} naming {@code after} for
     * anything else (edited, truncated, from another hub version).
     */
    public static PageCursor parse(String text) {
        try {
            String plain = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
            // the object id comes last but one and may itself hold '|': split from both ends
            String[] head = plain.split("\\|", 5);
            int lastBar = plain.lastIndexOf('|');
            if (head.length < 5 || !VERSION.equals(head[0]) || lastBar <= 0) {
                throw invalid();
            }
            String rest = head[4];
            int restBar = rest.lastIndexOf('|');
            if (restBar < 0) {
                throw invalid();
            }
            long micros = Long.parseLong(head[1]);
            long total = Long.parseLong(rest.substring(restBar + 1));
            String objectId = rest.substring(0, restBar);
            if (head[2].isEmpty() || head[3].isEmpty() || objectId.isEmpty() || total < 0) {
                throw invalid();
            }
            return new PageCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), head[2], head[3], objectId, total);
        } catch (IllegalArgumentException | ArithmeticException | java.time.DateTimeException e) {
            throw e instanceof PageRequest.InvalidParameterException invalid ? invalid : invalid();
        }
    }

    private static PageRequest.InvalidParameterException invalid() {
        return new PageRequest.InvalidParameterException("query parameter after must be the cursor from the Link "
                + "header of the previous page, unchanged; to start over, leave it out");
    }
}
