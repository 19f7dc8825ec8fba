package dev.siyu.core.miniapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.config.Membership;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.ingest.BadInput;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.member.LedgerEntry;
import dev.siyu.core.member.PointsAccount;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.Points;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.schedule.PerkPolicy;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Points and their ledger, the tier and the way to the next, rewards and their redemption, challenges, orders. */
final class MembershipRoutes {
    static final int MAX_PAGE = 100;
    private static final System.Logger LOG = System.getLogger(MembershipRoutes.class.getName());

    private final MemberDetailsStore details;
    private final ObjectMapper json = new ObjectMapper();

    MembershipRoutes(MemberDetailsStore details) {
        this.details = details;
    }

    /** The tenant's current blueprint's catalogue. */
    private static MemberCatalog catalog(MemberEndpoint.Member m) {
        return MemberCatalog.of(m.services().engine().config().membership());
    }

    Optional<MemberEndpoint.Reply> route(MemberEndpoint.Member m, String method, List<String> s,
                                         Map<String, String> query, byte[] body) {
        String what = s.get(0);
        if (s.size() == 1 && "GET".equals(method)) {
            return Optional.of(switch (what) {
                case "points" -> points(m, query);
                case "membership" -> tier(m);
                case "rewards" -> rewards(m);
                case "challenges" -> challenges(m);
                default -> orders(m, query);
            });
        }
        if ("rewards".equals(what) && s.size() == 3 && "redeem".equals(s.get(2)) && "POST".equals(method)) {
            return Optional.of(redeem(m, s.get(1), MemberInput.of(body)));
        }
        return Optional.empty();
    }

    /** The balance and the ledger newest first, a page at a time: cursor is where the previous page stopped. */
    private MemberEndpoint.Reply points(MemberEndpoint.Member m, Map<String, String> query) {
        int limit = intParam(query, "limit", 20, 1, MAX_PAGE);
        List<LedgerEntry> all = new ArrayList<>(m.services().ledger().entries(m.tenant(), m.customerId()));
        int from = intParam(query, "cursor", 0, 0, Math.max(0, all.size()));
        java.util.Collections.reverse(all);
        ObjectNode out = json.createObjectNode();
        out.put("balance", m.profile().activity().points().balance());
        ArrayNode entries = out.putArray("entries");
        for (LedgerEntry e : all.subList(from, Math.min(all.size(), from + limit))) {
            ObjectNode o = entries.addObject();
            o.put("kind", e.kind().name().toLowerCase(java.util.Locale.ROOT));
            o.put("points", e.points());
            o.put("balance_after", e.balanceAfter());
            o.put("at", e.at().toString());
            o.put("reference", e.reference());
            if (e.expiresAt() != null) {
                o.put("expires_at", e.expiresAt().toString());
            }
        }
        if (from + limit < all.size()) {
            out.put("next_cursor", Integer.toString(from + limit));
        } else {
            out.putNull("next_cursor");
        }
        return new MemberEndpoint.Reply(200, out.toString());
    }

    private MemberEndpoint.Reply tier(MemberEndpoint.Member m) {
        Points p = m.profile().activity().points();
        Membership ms = m.services().engine().config().membership();
        ObjectNode out = json.createObjectNode();
        String tier = ms.tierShown(p.tier(), p.earned());
        out.put("tier", tier);
        out.put("points_earned", p.earned());
        out.put("balance", p.balance());
        ms.tiers().stream().filter(t -> t.name().equals(tier)).findFirst()
                .ifPresent(t -> out.set("benefits", json.valueToTree(t.benefits())));
        Optional<Membership.Tier> next = ms.tiers().stream().filter(t -> t.minPoints() > p.earned()).findFirst();
        if (next.isPresent()) {
            ObjectNode n = out.putObject("next_tier");
            n.put("name", next.get().name());
            n.put("min_points", next.get().minPoints());
            n.put("points_needed", next.get().minPoints() - p.earned());
        } else {
            out.putNull("next_tier");
        }
        return new MemberEndpoint.Reply(200, out.toString());
    }

    private MemberEndpoint.Reply rewards(MemberEndpoint.Member m) {
        ObjectNode out = json.createObjectNode();
        ArrayNode a = out.putArray("rewards");
        for (Membership.Reward r : catalog(m).rewards()) {
            a.addObject().put("id", r.id()).put("name", r.name()).put("points", r.points()).put("perk", r.perk());
        }
        return new MemberEndpoint.Reply(200, out.toString());
    }

    /**
     * Spends the reward's points once per request_id (a retry answers duplicate whatever the perk policy says
     * now), a perk only when PerkPolicy allows it on the copy the entry is posted over (the claim is in the
     * profile and the ledger with the entry, so racing claims cannot pass the limit together), and never below
     * zero (the ledger's conditional write).
     */
    private MemberEndpoint.Reply redeem(MemberEndpoint.Member m, String rewardId, MemberInput in) {
        in.only(Set.of("request_id"));
        String requestId = "redeem-" + in.clientId("request_id");
        MemberCatalog catalog = catalog(m);
        Membership.Reward reward = catalog.reward(rewardId).orElse(null);
        if (reward == null) {
            return MemberEndpoint.error(404, "reward", "no reward " + (rewardId.length() > 64 ? "" : rewardId));
        }
        // No early answer from the entry: a retry goes through the ledger, which answers DUPLICATE and appends
        // again the events a crash after the posting may have lost (perk_claimed among them).
        PointsLedger ledger = m.services().ledger();
        Engine engine = m.services().engine();
        PointsAccount.PerkClaim perk = null;
        java.util.concurrent.atomic.AtomicReference<PerkPolicy.PerkDecision> decided =
                new java.util.concurrent.atomic.AtomicReference<>();
        if (reward.perk()) {
            PerkPolicy policy = new PerkPolicy(engine.config().community(), engine.ports().groups(),
                    engine.ports().customers());
            TimelineEvent claimed = new TimelineEvent("perk-" + requestId, m.now(), PerkPolicy.PERK_CLAIMED, null,
                    Map.of("perk", reward.id(), "channel", MemberEndpoint.CHANNEL));
            // Decided inside the posting, on the copy the entry is written over, counting the perk redemptions
            // already posted (their entries land with the profile; their events may still be on their way).
            perk = new PointsAccount.PerkClaim() {
                @Override
                public boolean allows(CustomerProfile latest) {
                    PerkPolicy.PerkDecision d = policy.decide(latest, m.now(), postedPerkClaims(ledger, m,
                            catalog));
                    decided.set(d);
                    return d.allowed();
                }

                @Override
                public TimelineEvent claimed() {
                    return claimed;
                }
            };
        }
        PointsLedger.Result r = m.services().points().redeem(m.tenant(), m.customerId(), requestId, reward.points(),
                reward.id(), m.now(), perk);
        if (r.outcome() == PointsLedger.Outcome.REFUSED && decided.get() != null && !decided.get().allowed()) {
            PerkPolicy.PerkDecision d = decided.get();
            LOG.log(Level.INFO, JsonLog.line("perk refused", "tenant", m.tenant(), "customer", m.customerId(),
                    "verdict", d.verdict().name()));
            ObjectNode out = MemberEndpoint.errorNode(409, "reward", "cannot be claimed now: " + d.reason());
            out.put("verdict", d.verdict().name().toLowerCase(java.util.Locale.ROOT));
            if (d.until() != null) {
                out.put("until", d.until().toString());
            }
            return new MemberEndpoint.Reply(409, out.toString());
        }
        if (r.outcome() == PointsLedger.Outcome.REFUSED) {
            return MemberEndpoint.error(409, "points", "are short: the reward costs " + reward.points()
                    + " and the balance is " + r.profile().activity().points().balance());
        }
        if (r.outcome() == PointsLedger.Outcome.POSTED) {
            details.update(m.tenant(), m.customerId(), d -> d.notified(new MemberDetails.Notification(
                    "reward-" + requestId, "reward", "Reward redeemed", reward.name() + " for " + reward.points()
                    + " points", m.now(), false)));
        }
        return redeemed(reward, r.entry(), r.outcome() == PointsLedger.Outcome.POSTED ? "redeemed" : "duplicate");
    }

    /** The perk redemptions posted in the ledger, as the perk_claimed event ids they carry and their times. */
    private Map<String, java.time.Instant> postedPerkClaims(PointsLedger ledger, MemberEndpoint.Member m,
                                                            MemberCatalog catalog) {
        Map<String, java.time.Instant> claims = new java.util.HashMap<>();
        for (LedgerEntry e : ledger.entries(m.tenant(), m.customerId())) {
            if (e.kind() == LedgerEntry.Kind.REDEEM && e.reference() != null
                    && catalog.reward(e.reference()).map(Membership.Reward::perk).orElse(false)) {
                claims.put("perk-" + e.requestId(), e.at());
            }
        }
        return claims;
    }

    private MemberEndpoint.Reply redeemed(Membership.Reward reward, LedgerEntry e, String status) {
        ObjectNode out = json.createObjectNode();
        out.put("status", status);
        out.put("reward", reward.id());
        out.put("points", -e.points());
        out.put("balance", e.balanceAfter());
        return new MemberEndpoint.Reply(200, out.toString());
    }

    private MemberEndpoint.Reply challenges(MemberEndpoint.Member m) {
        CustomerProfile p = m.profile();
        long interactions = -1;
        ObjectNode out = json.createObjectNode();
        ArrayNode a = out.putArray("challenges");
        for (Membership.Challenge c : catalog(m).challenges()) {
            long progress;
            switch (c.measure()) {
                case ORDERS -> progress = p.activity().orderCount();
                case POINTS_EARNED -> progress = p.activity().points().earned();
                default -> {
                    if (interactions < 0) {
                        interactions = m.services().engine().ports().customers().timeline(m.tenant(), m.customerId())
                                .stream().filter(e -> "interacted".equals(e.kind())
                                        && MemberEndpoint.CHANNEL.equals(e.details().get("channel"))).count();
                    }
                    progress = interactions;
                }
            }
            a.addObject().put("id", c.id()).put("name", c.name()).put("target", c.target())
                    .put("progress", Math.min(progress, c.target())).put("completed", progress >= c.target());
        }
        return new MemberEndpoint.Reply(200, out.toString());
    }

    /** Orders newest first, from the purchase events ingestion wrote (a page at a time). */
    private MemberEndpoint.Reply orders(MemberEndpoint.Member m, Map<String, String> query) {
        int limit = intParam(query, "limit", 20, 1, MAX_PAGE);
        List<TimelineEvent> purchases = new ArrayList<>(m.services().engine().ports().customers()
                .timeline(m.tenant(), m.customerId()).stream().filter(e -> "purchase".equals(e.kind())).toList());
        java.util.Collections.reverse(purchases);
        int from = intParam(query, "cursor", 0, 0, purchases.size());
        ObjectNode out = json.createObjectNode();
        ArrayNode a = out.putArray("orders");
        for (TimelineEvent e : purchases.subList(from, Math.min(purchases.size(), from + limit))) {
            ObjectNode o = a.addObject();
            o.put("order_id", e.details().get("order_id"));
            o.put("at", e.at().toString());
            o.put("amount", e.details().get("amount"));
            o.put("currency", e.details().get("currency"));
            o.put("category", e.details().get("category"));
            String points = e.details().get("points");
            if (points == null) {
                o.putNull("points");
            } else {
                o.put("points", Long.parseLong(points));
            }
        }
        if (from + limit < purchases.size()) {
            out.put("next_cursor", Integer.toString(from + limit));
        } else {
            out.putNull("next_cursor");
        }
        return new MemberEndpoint.Reply(200, out.toString());
    }

    static int intParam(Map<String, String> query, String name, int dflt, int min, int max) {
        String v = query.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new BadInput(name, "must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadInput(name, "must be a whole number");
        }
    }
}
