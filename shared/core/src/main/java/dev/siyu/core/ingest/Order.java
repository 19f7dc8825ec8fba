package dev.siyu.core.ingest;

import dev.siyu.core.member.Identity;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * An order as a source system (a POS, a web shop) reports it, validated ({@link IngestJson}). source and
 * orderId together name it: the same order sent again is the same order.
 *
 * @param identities who bought it, the first one the customer is created under when nobody is known
 */
public record Order(String source, String orderId, List<Identity> identities, BigDecimal amount, String currency,
                    Instant at, String storeId, List<Line> lines, List<Refund> refunds) {
    public Order {
        identities = List.copyOf(identities);
        lines = List.copyOf(lines);
        refunds = List.copyOf(refunds);
    }

    public record Line(String sku, String category, int quantity, BigDecimal amount) { }

    /** A refund of part or all of the order; refundId names it within the order. */
    public record Refund(String refundId, BigDecimal amount, Instant at) { }

    public Set<String> categories() {
        Set<String> c = new TreeSet<>();
        lines.forEach(l -> c.add(l.category()));
        return c;
    }

    /** The category of the order's largest line: the one a repurchase cycle follows. */
    public String mainCategory() {
        return lines.stream().max(java.util.Comparator.comparing(Line::amount)).map(Line::category).orElse(null);
    }
}
