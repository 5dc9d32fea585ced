package org.ocpihub.bench;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles (nearest rank) of a set of durations or sizes; empty sets answer NaN. */
record Stats(long[] sorted) {

    static Stats of(long[] values) {
        long[] copy = values.clone();
        Arrays.sort(copy);
        return new Stats(copy);
    }

    int count() {
        return sorted.length;
    }

    /** The value at or below which {@code p} (0..1) of the values lie, by nearest rank; NaN for no values. */
    double percentile(double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    double min() {
        return sorted.length == 0 ? Double.NaN : sorted[0];
    }

    double max() {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    /** Microseconds as milliseconds with two decimals, or "–" for NaN. */
    static String ms(double micros) {
        return Double.isNaN(micros) ? "–" : String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    /** Bytes as MiB without decimals, or "–" for NaN. */
    static String mib(double bytes) {
        return Double.isNaN(bytes) ? "–" : String.format(Locale.ROOT, "%.0f", bytes / (1024.0 * 1024.0));
    }

    /** A number with {@code decimals} decimals, or "–" for NaN or infinity. */
    static String num(double value, int decimals) {
        return Double.isNaN(value) || Double.isInfinite(value) ? "–"
                : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
