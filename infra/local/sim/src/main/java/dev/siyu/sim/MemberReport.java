package dev.siyu.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.member.LedgerEntry;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.profile.CustomerProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The report's members section: what the Mini Program members and the order sources did through the routes, the
 * points as the ledger holds them at the end, and the members' invariants, computed from the ledger and the
 * profiles (never from the simulation's own counts).
 */
final class MemberReport {
    private final ObjectNode section;
    private final MemberInvariants invariants;

    private MemberReport(ObjectNode section, MemberInvariants invariants) {
        this.section = section;
        this.invariants = invariants;
    }

    ObjectNode json() {
        return section;
    }

    MemberInvariants invariants() {
        return invariants;
    }

    static MemberReport of(Simulation sim) {
        MiniProgramMembers members = sim.members();
        String tenant = sim.config().tenant();
        CustomerStore customers = sim.ports().customers();
        PointsLedger ledger = members.ledger();
        Set<String> scanned = new TreeSet<>(sim.allCustomerIds());
        scanned.addAll(members.customersAnswered());
        scanned.remove("");
        long earned = 0;
        long redeemed = 0;
        long expired = 0;
        long reversed = 0;
        long mismatches = 0;
        long negative = 0;
        Map<String, Long> earnsPerOrder = new HashMap<>();
        for (String id : scanned) {
            List<LedgerEntry> entries = ledger.entries(tenant, id);
            long sum = 0;
            boolean below = false;
            for (LedgerEntry e : entries) {
                sum += e.points();
                below |= e.balanceAfter() < 0;
                switch (e.kind()) {
                    case EARN -> {
                        earned += e.points();
                        earnsPerOrder.merge(e.requestId(), 1L, Long::sum);
                    }
                    case REDEEM -> redeemed -= e.points();
                    case EXPIRE -> expired -= e.points();
                    case REVERSE -> reversed -= e.points();
                    default -> { }
                }
            }
            long balance = customers.profile(tenant, id).map(p -> p.activity().points().balance()).orElse(0L);
            if (sum != balance) {
                mismatches++;
            }
            if (below || balance < 0) {
                negative++;
            }
        }
        long postedTwice = earnsPerOrder.values().stream().filter(n -> n > 1).count();
        long withoutPoints = members.acceptedOrders().stream().filter(o -> !earnsPerOrder.containsKey(o)).count();

        Map<String, String> wecomCustomer = new HashMap<>();
        sim.customerIds().forEach((id, ext) -> wecomCustomer.put(ext, id));
        long withBoth = 0;
        long linked = 0;
        for (MiniProgramMembers.Member m : members.members()) {
            String wecom = wecomCustomer.get(m.externalUserId);
            Optional<String> contact = wecom == null ? Optional.empty() : customers.survivor(tenant, wecom);
            if (contact.isEmpty() || m.customerId == null) {
                continue;
            }
            withBoth++;
            if (contact.equals(customers.survivor(tenant, m.customerId))) {
                linked++;
            }
        }

        ObjectMapper json = new ObjectMapper();
        ObjectNode out = json.createObjectNode();
        Map<String, Long> c = members.counts();
        out.put("members", members.members().size());
        out.put("signed_in", c.getOrDefault("members_signed_in", 0L));
        out.put("logins", c.getOrDefault("logins", 0L));
        out.put("with_wecom_contact", withBoth);
        out.put("wecom_linked", linked);
        out.put("wecom_contacts_on_member_customer", sim.contactsOnMemberCustomer());
        ObjectNode granted = out.putObject("consents_granted");
        ObjectNode withdrawn = out.putObject("consents_withdrawn");
        for (String purpose : List.of("marketing", "personalization", "profiling")) {
            granted.put(purpose, c.getOrDefault("consents_granted." + purpose, 0L));
            withdrawn.put(purpose, c.getOrDefault("consents_withdrawn." + purpose, 0L));
        }
        ObjectNode orders = out.putObject("orders");
        for (String k : List.of("sent", "accepted", "replayed", "retried", "retried_answered_duplicate", "given_up")) {
            orders.put(k, c.getOrDefault("orders_" + k, 0L));
        }
        orders.put("refunds_sent", c.getOrDefault("refunds_sent", 0L));
        orders.put("refunds_applied", c.getOrDefault("refunds_applied", 0L));
        ObjectNode points = out.putObject("points");
        points.put("earned", earned);
        points.put("redeemed", redeemed);
        points.put("reversed_by_refunds", reversed);
        points.put("expired", expired);
        ObjectNode redemptions = out.putObject("redemptions");
        redemptions.put("requested", c.getOrDefault("redemptions_requested", 0L));
        redemptions.put("posted", c.getOrDefault("redemptions_posted", 0L));
        ObjectNode refused = redemptions.putObject("refused");
        members.refusals().forEach(refused::put);
        ObjectNode events = out.putObject("events");
        events.put("sent", c.getOrDefault("events_sent", 0L));
        events.put("recorded", c.getOrDefault("events_recorded", 0L));
        ObjectNode subscriptions = out.putObject("subscriptions");
        subscriptions.put("accepted", c.getOrDefault("subscriptions_accepted", 0L));
        subscriptions.put("declined", c.getOrDefault("subscriptions_declined", 0L));
        ObjectNode visits = out.putObject("store_visits");
        visits.put("member_codes_shown", c.getOrDefault("member_codes_shown", 0L));
        visits.put("checked_in", c.getOrDefault("store_visits_checked_in", 0L));
        visits.put("first_of_day", c.getOrDefault("store_visits_first_of_day", 0L));
        visits.put("staff_sign_ins", c.getOrDefault("staff_sign_ins", 0L));
        ObjectNode requests = out.putObject("requests");
        requests.put("retried", c.getOrDefault("member_requests_retried", 0L));
        requests.put("given_up", c.getOrDefault("member_requests_given_up", 0L));
        c.forEach((k, v) -> {
            if (k.contains("_rejected_") || k.contains("_failed_") || k.contains("_refused_")) {
                requests.put(k, v);
            }
        });
        MemberInvariants inv = new MemberInvariants(postedTwice, withoutPoints, mismatches, negative, withBoth - linked);
        ObjectNode i = out.putObject("invariants");
        inv.forEach(i::put);
        return new MemberReport(out, inv);
    }

}
