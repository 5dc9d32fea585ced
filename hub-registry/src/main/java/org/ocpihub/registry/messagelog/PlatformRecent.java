package org.ocpihub.registry.messagelog;

import java.util.List;

/**
 * A platform's last requests and last errors ({@link MessageLogQueries#recentForPlatform}), each newest first, the
 * platform as sender or as receiver (deliveries to it included).
 *
 * @param requests its last rows of any outcome
 * @param errors   its last rows that failed ({@link MessageLogEntry#failed()})
 */
public record PlatformRecent(List<MessageLogEntry> requests, List<MessageLogEntry> errors) {

    public PlatformRecent {
        requests = List.copyOf(requests);
        errors = List.copyOf(errors);
    }
}
