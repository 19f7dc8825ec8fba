package dev.siyu.core.ingest;

import dev.siyu.core.log.JsonLog;
import dev.siyu.core.member.IdentityResolver;
import dev.siyu.core.member.LedgerEntry;
import dev.siyu.core.member.PointsRules;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An order into the customer's record: the customer found or created from its identities, then one ledger
 * entry written together with the profile it changes (purchase activity, points, tier), then its timeline
 * events and the {@code purchase} journey trigger (the journey starter adds first_purchase), the path a
 * callback's triggers take. The entry's request id is the order's source and id, so a replay posts nothing;
 * it puts the same events again and re-sends the trigger (whose run ids are derived from it), which finishes
 * an ingest cut short after its entry and changes nothing otherwise. Each refund is an entry of its own.
 */
public final class OrderIngest {
    private static final System.Logger LOG = System.getLogger(OrderIngest.class.getName());

    private final String tenant;
    private final CustomerStore customers;
    private final PointsLedger ledger;
    private final PointsRules rules;
    private final IdentityResolver identities;
    private final JourneyQueue triggers;
    private final Clock clock;

    public OrderIngest(String tenant, CustomerStore customers, PointsLedger ledger, PointsRules rules,
                       IdentityResolver identities, JourneyQueue triggers, Clock clock) {
        this.tenant = tenant;
        this.customers = customers;
        this.ledger = ledger;
        this.rules = rules;
        this.identities = identities;
        this.triggers = triggers;
        this.clock = clock;
    }

    /**
     * @param status   recorded, duplicate or unlinked (every identity blocklisted: nothing written)
     * @param refunds  refunds newly applied by this request
     */
    public record Outcome(String status, String customerId, long points, long balance, String tier, int refunds,
                          List<String> refused) { }

    public Outcome ingest(Order order) {
        Instant now = clock.instant();
        IdentityResolver.Resolution who = identities.resolve(tenant, order.identities(), true, order.source(), now);
        if (who.customerId().isEmpty()) {
            LOG.log(Level.INFO, JsonLog.line("order not linked: no usable identity", "tenant", tenant,
                    "source", order.source(), "order", order.orderId()));
            return new Outcome("unlinked", null, 0, 0, null, 0, who.refused());
        }
        String customerId = who.customerId().get();
        String requestId = "order-" + order.source() + "-" + order.orderId();
        long points = rules.membership().pointsFor(order.amount());
        Instant expires = rules.membership().pointsExpireAfter() == null ? null
                : order.at().plus(rules.membership().pointsExpireAfter());
        TimelineEvent purchase = purchaseEvent(order, points, who.created());
        PointsLedger.Result r = ledger.post(tenant, customerId, requestId, who.fresh().orElse(null),
                who.stored().orElse(null), latest -> {
            if (latest.mergedInto().isPresent()) {
                return Optional.empty();
            }
            CustomerProfile bought = latest.withActivity(latest.activity().ordered(order.amount().doubleValue(),
                    order.categories(), order.at()), now);
            return rules.apply(bought, requestId, LedgerEntry.Kind.EARN, points, points, order.at(), expires,
                    order.orderId(), purchase.eventId()).map(c -> {
                        List<TimelineEvent> events = new ArrayList<>();
                        events.add(purchase);
                        if (c.profile().activity().orderCount() == 1) {
                            events.add(new TimelineEvent(purchase.eventId() + "-first", order.at(), "first_purchase",
                                    null, Map.of("order_id", order.orderId())));
                        }
                        events.addAll(c.events());
                        return new PointsLedger.Applied(c.profile(), c.entry(), events);
                    });
        });
        if (r.outcome() == PointsLedger.Outcome.REFUSED) {
            // The customer was merged away between the resolution and the write: the next attempt finds the survivor.
            throw new IllegalStateException("customer " + customerId + " was merged while the order was recorded");
        }
        if (r.outcome() == PointsLedger.Outcome.DUPLICATE) {
            customers.append(tenant, customerId, List.of(purchase));
        }
        Map<String, String> details = new LinkedHashMap<>();
        details.put("amount", order.amount().toPlainString());
        details.put("order_id", order.orderId());
        if (order.mainCategory() != null) {
            details.put("category", order.mainCategory());
        }
        triggers.enqueue(new JourneyTrigger(tenant, customerId, "purchase", order.at(), details));
        int applied = 0;
        CustomerProfile after = r.profile();
        for (Order.Refund refund : order.refunds()) {
            PointsLedger.Result rr = refund(order, refund, customerId, r.entry().points());
            if (rr.outcome() == PointsLedger.Outcome.POSTED) {
                applied++;
                after = rr.profile();
            }
        }
        if (applied > 0 || after == null) {
            after = customers.profile(tenant, customerId).orElse(after);
        }
        LOG.log(Level.INFO, JsonLog.line("order ingested", "tenant", tenant, "source", order.source(), "order",
                order.orderId(), "customer", customerId, "outcome", r.outcome().name(), "points", points,
                "refunds", applied, "conflicts", r.conflicts(), "created", who.created()));
        String status = r.outcome() == PointsLedger.Outcome.POSTED ? "recorded" : "duplicate";
        return new Outcome(status, customerId, r.entry().points(), after.activity().points().balance(),
                after.activity().points().tier(), applied, who.refused());
    }

    /**
     * Reverses the points a refund's amount earned (at most what the order earned); when some were spent
     * already, the balance goes to zero, never below, and the shortfall is on the event.
     */
    private PointsLedger.Result refund(Order order, Order.Refund refund, String customerId, long orderPoints) {
        String requestId = "refund-" + order.source() + "-" + order.orderId() + "-" + refund.refundId();
        long reversed = Math.min(orderPoints, rules.membership().pointsFor(refund.amount()));
        return ledger.post(tenant, customerId, requestId, latest -> {
            long take = Math.min(reversed, latest.activity().points().balance());
            Map<String, String> d = new LinkedHashMap<>();
            d.put("order_id", order.orderId());
            d.put("refund_id", refund.refundId());
            d.put("amount", refund.amount().toPlainString());
            d.put("points_reversed", Long.toString(take));
            if (take < reversed) {
                d.put("points_short", Long.toString(reversed - take));
            }
            TimelineEvent e = new TimelineEvent("ref-" + order.source() + "-" + order.orderId() + "-"
                    + refund.refundId(), refund.at(), "refund", null, d);
            return rules.apply(latest, requestId, LedgerEntry.Kind.REVERSE,
                            -take, -reversed, refund.at(), null, order.orderId(), e.eventId())
                    .map(c -> {
                        List<TimelineEvent> events = new ArrayList<>(List.of(e));
                        events.addAll(c.events());
                        return new PointsLedger.Applied(c.profile(), c.entry(), events);
                    });
        });
    }

    private static TimelineEvent purchaseEvent(Order order, long points, boolean created) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("order_id", order.orderId());
        d.put("source", order.source());
        d.put("amount", order.amount().toPlainString());
        d.put("currency", order.currency());
        d.put("category", order.mainCategory() == null ? "" : order.mainCategory());
        d.put("categories", String.join(",", order.categories()));
        d.put("points", Long.toString(points));
        if (order.storeId() != null) {
            d.put("store_id", order.storeId());
        }
        return new TimelineEvent("ord-" + order.source() + "-" + order.orderId(), order.at(), "purchase", null, d);
    }
}
