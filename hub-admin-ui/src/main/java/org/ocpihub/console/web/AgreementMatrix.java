package org.ocpihub.console.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import org.ocpihub.ocpi.party.PartyId;
import org.ocpihub.ocpi.version.ModuleId;
import org.ocpihub.registry.agreement.Agreement;
import org.ocpihub.registry.agreement.AgreementBook;
import org.ocpihub.registry.platform.RegistrySnapshot;

/**
 * The agreements page's matrix for one module (issue 13): every registered party as a row and as a column, each cell
 * saying whether the pair may exchange the module now, read from the snapshot's {@link AgreementBook} (the same
 * value the router asks, so the page shows what traffic meets). The console only sorts the book's answers into
 * words; the rules stay in {@link AgreementBook#governs} and {@link Agreement#covers}.
 *
 * <p>The matrix is square, so it shows at most {@link #MAX_PARTIES} parties: a hub of 1 000 members would otherwise
 * send a million cells, each with its one-click form. The operator narrows it with a filter: terms separated by
 * spaces or commas, a party shown when its {@code CC/PID} or its roles contain any of them, case ignored
 * ({@code "NL/ DE/ABC"}, {@code "emsp"}).
 *
 * @param module     the module the cells are about
 * @param filter     the filter as typed, stripped; empty for none
 * @param parties    the rows (and, in the same order, the columns): the first {@link #MAX_PARTIES} that match
 * @param rows       one row per party, its cells in column order
 * @param matching   how many registered parties match the filter (more than {@code parties} when cut)
 * @param registered how many parties are registered in all
 */
public record AgreementMatrix(ModuleId module, String filter, List<Party> parties, List<Row> rows, int matching,
                              int registered) {

    /** The most parties the matrix shows as rows and as columns (1 600 cells). */
    public static final int MAX_PARTIES = 40;
    /** The longest filter kept, in characters (the field's maxlength); the rest of a longer one is ignored. */
    public static final int MAX_FILTER = 200;

    /** What a cell says: its word and CSS class. */
    public enum State {
        /** The diagonal: a party and itself. */
        SELF("", "cell-self"),
        /** An agreement covers the module now. */
        AGREED("agreed", "cell-agreed"),
        /** An agreement names the module, but its window starts later. */
        NOT_YET_VALID("not yet valid", "cell-not-yet-valid"),
        /** An agreement named the module, but its window has ended. */
        EXPIRED("expired", "cell-expired"),
        /** The mode does not gate this pair: traffic flows without an agreement. */
        OPEN("open", "cell-open"),
        /** Gated, and no agreement names the module: traffic is refused. */
        REFUSED("refused", "cell-refused");

        private final String word;
        private final String css;

        State(String word, String css) {
            this.word = word;
            this.css = css;
        }

        /** The short word the cell shows. */
        public String word() {
            return word;
        }

        /** The cell's CSS class. */
        public String css() {
            return css;
        }

        /** The value of the cell's {@code data-state} ({@code agreed}, {@code not-yet-valid}...). */
        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * A registered party as the matrix labels it.
     *
     * @param id    the party
     * @param roles its roles, e.g. {@code CPO/EMSP}
     */
    public record Party(PartyId id, String roles) {

        /** {@code NL/ALP}. */
        public String label() {
            return id.toString();
        }
    }

    /** One cell: the pair (row, column) and what it says. */
    public record Cell(Party row, Party column, State state) {
    }

    /** One row: its party and its cells. */
    public record Row(Party party, List<Cell> cells) {
    }

    /** The matrix of {@code module} as of {@code now}, from {@code snapshot}, unfiltered. */
    public static AgreementMatrix of(RegistrySnapshot snapshot, ModuleId module, Instant now) {
        return of(snapshot, module, "", now);
    }

    /**
     * The matrix of {@code module} as of {@code now}, from {@code snapshot}: the first {@link #MAX_PARTIES} parties,
     * sorted by {@code CC/PID}, that {@code filter} (null or blank: none) matches.
     */
    public static AgreementMatrix of(RegistrySnapshot snapshot, ModuleId module, String filter, Instant now) {
        List<Party> all = parties(snapshot);
        String typed = filter(filter);
        List<Party> matching = all.stream().filter(p -> matches(p, typed)).toList();
        List<Party> parties = matching.subList(0, Math.min(MAX_PARTIES, matching.size()));
        AgreementBook book = snapshot.agreements();
        List<Row> rows = new ArrayList<>(parties.size());
        for (Party row : parties) {
            List<Cell> cells = new ArrayList<>(parties.size());
            for (Party column : parties) {
                cells.add(new Cell(row, column, state(book, row.id(), column.id(), module, now)));
            }
            rows.add(new Row(row, List.copyOf(cells)));
        }
        return new AgreementMatrix(module, typed, List.copyOf(parties), List.copyOf(rows), matching.size(),
                all.size());
    }

    /** A filter as the matrix keeps it: stripped, at most {@link #MAX_FILTER} characters; empty for null. */
    static String filter(String typed) {
        String stripped = typed == null ? "" : typed.strip();
        return stripped.length() > MAX_FILTER ? stripped.substring(0, MAX_FILTER).strip() : stripped;
    }

    /** True when more parties match than the matrix shows. */
    public boolean cut() {
        return matching > parties.size();
    }

    /** Whether {@code filter} (terms separated by spaces or commas; blank: every party) matches the party. */
    static boolean matches(Party party, String filter) {
        String label = party.label().toLowerCase(Locale.ROOT);
        String roles = party.roles().toLowerCase(Locale.ROOT);
        boolean any = false;
        for (String term : filter.toLowerCase(Locale.ROOT).split("[\\s,]+")) {
            if (term.isEmpty()) {
                continue;
            }
            any = true;
            if (label.contains(term) || roles.contains(term)) {
                return true;
            }
        }
        return !any;
    }

    /** Every registered party, by {@code CC/PID}, with its roles. */
    static List<Party> parties(RegistrySnapshot snapshot) {
        return snapshot.parties().stream()
                .sorted(Comparator.comparing(PartyId::toString))
                .map(p -> new Party(p, snapshot.hostsOf(p).stream().map(h -> h.partyRole().role().name())
                        .distinct().sorted().reduce((x, y) -> x + "/" + y).orElse("")))
                .toList();
    }

    /** What the cell of {@code a} and {@code b} says for {@code module} at {@code now}. */
    static State state(AgreementBook book, PartyId a, PartyId b, ModuleId module, Instant now) {
        if (a.equals(b)) {
            return State.SELF;
        }
        if (!book.governs(a, b)) {
            return State.OPEN;
        }
        List<Agreement> naming = book.agreements(a, b).stream().filter(x -> x.modules().contains(module)).toList();
        if (naming.stream().anyMatch(x -> x.covers(module, now))) {
            return State.AGREED;
        }
        if (naming.isEmpty()) {
            return State.REFUSED;
        }
        return naming.stream().anyMatch(x -> x.validFrom() != null && now.isBefore(x.validFrom()))
                ? State.NOT_YET_VALID : State.EXPIRED;
    }
}
