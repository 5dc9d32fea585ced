package org.ocpihub.console.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
 * @param module  the module the cells are about
 * @param parties the rows (and, in the same order, the columns)
 * @param rows    one row per party, its cells in column order
 */
public record AgreementMatrix(ModuleId module, List<Party> parties, List<Row> rows) {

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

    /** The matrix of {@code module} as of {@code now}, from {@code snapshot}. */
    public static AgreementMatrix of(RegistrySnapshot snapshot, ModuleId module, Instant now) {
        List<Party> parties = parties(snapshot);
        AgreementBook book = snapshot.agreements();
        List<Row> rows = new ArrayList<>(parties.size());
        for (Party row : parties) {
            List<Cell> cells = new ArrayList<>(parties.size());
            for (Party column : parties) {
                cells.add(new Cell(row, column, state(book, row.id(), column.id(), module, now)));
            }
            rows.add(new Row(row, List.copyOf(cells)));
        }
        return new AgreementMatrix(module, parties, List.copyOf(rows));
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
