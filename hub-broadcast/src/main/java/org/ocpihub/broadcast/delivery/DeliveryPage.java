package org.ocpihub.broadcast.delivery;

import java.util.List;

/**
 * One page of failed deliveries, newest first.
 *
 * @param items  the page's deliveries
 * @param total  how many match the filter (all pages)
 * @param offset the page's first row
 * @param limit  the page's size limit
 */
public record DeliveryPage(List<DeliveryView> items, long total, int offset, int limit) {
}
