package dev.siyu.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.config.ChannelCodeSpec;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.memory.faults.Faults;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's results: the seed's three funnel reports, its success metrics against their targets, the
 * gate's decisions by rule, the journeys' conversions and the guardrail invariants, as one JSON document
 * (--json) or as text.
 */
public final class Report {
    static final List<String> FAULT_KINDS = List.of(Faults.STORE_THROTTLE, Faults.STORE_ERROR_AFTER_WRITE,
            Faults.QUEUE_SEND_FAILED, Faults.QUEUE_DUPLICATE, Faults.QUEUE_DELAYED, Faults.QUEUE_REORDERED,
            Faults.WECOM_RATE_LIMIT, Faults.WECOM_BUSY, Faults.WECOM_5XX, Faults.WECOM_TIMEOUT_AFTER_EFFECT, Faults.CRASH);
    private final ObjectMapper json = new ObjectMapper();
    private final ObjectNode root = json.createObjectNode();

    public static Report of(Simulation sim, Duration wallTime) {
        Report r = new Report();
        r.build(sim, wallTime);
        return r;
    }

    public ObjectNode json() {
        return root;
    }

    public Invariants invariants(Simulation sim) {
        return Invariants.compute(sim.recorded(), sim.config().guardrails().businessHours(), sim.config().timezone());
    }

    /** The members' invariants (points, ledgers, balances, linked accounts) as the report computed them. */
    public MemberInvariants memberInvariants() {
        return memberInvariants;
    }

    /** Every invariant that does not hold, the guardrails' and the members': a run with any fails. */
    public List<String> violations(Simulation sim) {
        List<String> broken = new ArrayList<>(invariants(sim).violations(sim.config().guardrails()));
        broken.addAll(memberInvariants.violations());
        return broken;
    }

    private MemberInvariants memberInvariants;

    private void build(Simulation sim, Duration wallTime) {
        ScrmConfig config = sim.config();
        String tenant = config.tenant();
        Map<String, String> ids = sim.customerIds();
        Map<String, List<TimelineEvent>> timelines = sim.timelines();
        List<CustomerProfile> profiles = new ArrayList<>();
        for (String id : ids.keySet()) {
            sim.ports().customers().profile(tenant, id).ifPresent(profiles::add);
        }
        Instant end = sim.end();
        ObjectNode run = root.putObject("run");
        run.put("customers", ids.size());
        run.put("days", Duration.between(sim.start(), end).toDays());
        run.put("existing_base_since", sim.origin().atZone(config.timezone()).toOffsetDateTime().toString());
        run.put("from", sim.start().atZone(config.timezone()).toOffsetDateTime().toString());
        run.put("to", end.atZone(config.timezone()).toOffsetDateTime().toString());
        run.put("wall_seconds", Math.round(wallTime.toMillis() / 100.0) / 10.0);
        run.put("steps_run", sim.stepsRun());
        run.put("step_failures_redelivered", sim.failures());
        ObjectNode outcomes = run.putObject("step_outcomes");
        sim.outcomes().forEach((k, v) -> outcomes.put(k.name().toLowerCase(), v));
        run.put("wecom_calls", sim.calls().size());
        run.put("fault_rate", sim.faults().rate());

        // Every kind, 0 when none struck, so the document's shape does not depend on the seed.
        ObjectNode faults = root.putObject("faults");
        Map<String, Long> injected = sim.faults().counts();
        for (String kind : FAULT_KINDS) {
            faults.put(kind, injected.getOrDefault(kind, 0L));
        }
        ObjectNode redelivery = root.putObject("redelivery");
        sim.redelivery().forEach(redelivery::put);

        ObjectNode funnel = root.putObject("funnel");
        funnel.set("channel_acquisition", channels(config, profiles));
        funnel.set("community_conversion", community(profiles, timelines));
        funnel.set("ltv_by_lifecycle_stage", ltv(profiles, end));
        root.set("success_metrics", successMetrics(sim, profiles, timelines, end));
        root.set("journeys", journeys(sim, ids));
        root.set("scoring", scoring(config, profiles));
        ObjectNode gate = root.putObject("gate");
        LocalDate from = sim.origin().atZone(config.timezone()).toLocalDate();
        LocalDate to = end.atZone(config.timezone()).toLocalDate();
        new TreeMap<>(sim.ports().decisions().counts(tenant, from, to)).forEach(gate::put);
        root.set("mass_message_budget", massMessageBudget(sim));
        root.set("staff_desk", staffDesk(sim, timelines));
        MemberReport members = MemberReport.of(sim);
        memberInvariants = members.invariants();
        root.set("members", members.json());
        Invariants inv = invariants(sim);
        ObjectNode i = root.putObject("invariants");
        i.put("touches_after_delete", inv.touchesAfterDelete());
        i.put("touches_after_consent_withdrawal", inv.touchesAfterConsentWithdrawal());
        i.put("touches_outside_business_hours", inv.touchesOutsideBusinessHours());
        i.put("max_mass_messages_per_customer_month", inv.maxMassMessagesPerCustomerMonth());
        i.put("max_moments_posts_per_day", inv.maxMomentsPostsPerDay());
        i.put("duplicate_touches", inv.duplicateTouches());
        i.put("calls_without_touch_id", inv.callsWithoutTouchId());
        i.put("stuck_runs", inv.stuckRuns());
        i.put("missing_activation_runs", inv.missingActivationRuns());
        i.put("touch_count_mismatches", inv.touchCountMismatches());
        i.put("cap_count_mismatches", inv.capCountMismatches());
        i.put("pool_load_mismatches", inv.poolLoadMismatches());
        memberInvariants.forEach(i::put);
        i.put("customers", inv.customers());
        i.put("touches_total", inv.touchesTotal());
    }

    /**
     * Customer mass messages (add_msg_template recipients, recounted from the calls) per customer and calendar
     * month: how many customer-months used 0, 1, 2... of the guardrail's allowance, and the most any used.
     */
    private ObjectNode massMessageBudget(Simulation sim) {
        ObjectNode out = json.createObjectNode();
        out.put("allowed_per_customer_month", sim.config().guardrails().massMessagesPerMonth());
        out.put("wecom_customer_message_limit", sim.config().guardrails().platformLimit().yamlName());
        ObjectNode used = out.putObject("customer_months_by_used");
        Map<Long, Long> histogram = Invariants.massMessageBudgetUsed(sim.recorded(), sim.config().timezone(),
                sim.end().plus(Simulation.DRAIN));
        for (long n = 0; n <= sim.config().guardrails().massMessagesPerMonth(); n++) {
            used.put(Long.toString(n), histogram.getOrDefault(n, 0L));
        }
        histogram.forEach((n, count) -> {
            if (n > sim.config().guardrails().massMessagesPerMonth()) {
                used.put(Long.toString(n), count);
            }
        });
        out.put("max_per_customer_month", histogram.keySet().stream().mapToLong(Long::longValue).max().orElse(0));
        return out;
    }

    /** The staff desk's tasks by how they ended, from the timelines. */
    private ObjectNode staffDesk(Simulation sim, Map<String, List<TimelineEvent>> timelines) {
        Map<String, Long> kinds = new java.util.HashMap<>();
        timelines.values().forEach(events -> events.forEach(e -> kinds.merge(e.kind(), 1L, Long::sum)));
        long created = kinds.getOrDefault(dev.siyu.core.journey.ActionPerformer.DESK_TASK_CREATED, 0L)
                + kinds.getOrDefault("staff_task_created", 0L);
        long sent = kinds.getOrDefault(dev.siyu.core.desk.StaffDesk.SENT, 0L);
        long expired = kinds.getOrDefault(dev.siyu.core.desk.StaffDesk.EXPIRED, 0L);
        long dismissed = kinds.getOrDefault(dev.siyu.core.desk.StaffDesk.DISMISSED, 0L);
        ObjectNode out = json.createObjectNode();
        out.put("tasks_created", created);
        out.put("sent", sent);
        out.put("expired", expired);
        out.put("dismissed", dismissed);
        out.put("open_at_end", created - sent - expired - dismissed);
        out.put("refused_at_send", sim.deskRefusals());
        return out;
    }

    /**
     * The nightly scoring's last scores on the profiles: the churn score by tenth, how many are above the churn
     * journey's threshold, where the scores came from, and the personas.
     */
    private ObjectNode scoring(ScrmConfig config, List<CustomerProfile> profiles) {
        ObjectNode n = json.createObjectNode();
        Double threshold = new dev.siyu.core.schedule.NightlyScoring(config, null, null, null, null).threshold().orElse(null);
        long[] tenths = new long[10];
        long scored = 0;
        long above = 0;
        Map<String, Long> models = new TreeMap<>();
        Map<String, Long> personas = new TreeMap<>();
        Map<String, Long> tiers = new TreeMap<>();
        for (CustomerProfile p : profiles) {
            Double churn = p.activity().churnScore();
            if (churn != null) {
                scored++;
                tenths[Math.min(9, (int) Math.floor(churn * 10))]++;
                if (threshold != null && churn > threshold) {
                    above++;
                }
            }
            dev.siyu.core.profile.ProfileScores s = p.activity().scores();
            if (s != null) {
                models.merge(String.valueOf(s.model()), 1L, Long::sum);
                personas.merge(s.persona() == null || s.persona().isEmpty() ? "(none)" : s.persona(), 1L, Long::sum);
                tiers.merge(String.valueOf(s.ltvTier()), 1L, Long::sum);
            }
        }
        n.put("customers_scored", scored);
        if (threshold == null) {
            n.putNull("threshold");
        } else {
            n.put("threshold", threshold);
        }
        n.put("above_threshold", above);
        ObjectNode d = n.putObject("churn_score_distribution");
        for (int t = 0; t < 10; t++) {
            d.put(String.format(java.util.Locale.ROOT, "%.1f-%.1f", t / 10.0, (t + 1) / 10.0), tenths[t]);
        }
        ObjectNode m = n.putObject("models");
        models.forEach(m::put);
        ObjectNode ps = n.putObject("personas");
        personas.forEach(ps::put);
        ObjectNode ts = n.putObject("ltv_tiers");
        tiers.forEach(ts::put);
        return n;
    }

    private ArrayNode channels(ScrmConfig config, List<CustomerProfile> profiles) {
        Map<String, long[]> byName = new LinkedHashMap<>();
        for (ChannelCodeSpec spec : config.channelCodes()) {
            byName.put(spec.name(), new long[2]);
        }
        for (CustomerProfile p : profiles) {
            long[] c = byName.computeIfAbsent(p.channelName() == null ? "(unknown)" : p.channelName(), k -> new long[2]);
            c[0]++;
            if (p.activity().firstReplyAt() != null) {
                c[1]++;
            }
        }
        ArrayNode rows = json.createArrayNode();
        byName.entrySet().stream().sorted((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0])).forEach(e -> rows.addObject()
                .put("channel", e.getKey())
                .put("new_friends", e.getValue()[0])
                .put("first_interactions", e.getValue()[1])
                .put("interaction_conversion_rate", pct(e.getValue()[1], e.getValue()[0], 1)));
        return rows;
    }

    private ArrayNode community(List<CustomerProfile> profiles, Map<String, List<TimelineEvent>> timelines) {
        Map<String, long[]> byType = new TreeMap<>();
        for (CustomerProfile p : profiles) {
            Map<String, Instant> joinedByType = new LinkedHashMap<>();
            for (TimelineEvent e : timelines.getOrDefault(p.customerId(), List.of())) {
                if ("joined_group".equals(e.kind())) {
                    joinedByType.putIfAbsent(e.details().getOrDefault("group_type", "(unknown)"), e.at());
                }
            }
            for (Map.Entry<String, Instant> j : joinedByType.entrySet()) {
                long[] c = byType.computeIfAbsent(j.getKey(), k -> new long[3]);
                c[0]++;
                boolean clicked = false;
                boolean ordered = false;
                for (TimelineEvent e : timelines.getOrDefault(p.customerId(), List.of())) {
                    if (e.at().isBefore(j.getValue())) {
                        continue;
                    }
                    clicked |= "reply".equals(e.kind()) || "purchase".equals(e.kind());
                    ordered |= "purchase".equals(e.kind());
                }
                c[1] += clicked ? 1 : 0;
                c[2] += ordered ? 1 : 0;
            }
        }
        ArrayNode rows = json.createArrayNode();
        byType.forEach((type, c) -> rows.addObject().put("group_type", type).put("group_members", c[0])
                .put("product_clickers", c[1]).put("purchasers", c[2]).put("group_conversion_rate", pct(c[2], c[0], 2)));
        return rows;
    }

    private ArrayNode ltv(List<CustomerProfile> profiles, Instant end) {
        Map<String, double[]> byStage = new TreeMap<>();
        for (CustomerProfile p : profiles) {
            Activity a = p.activity();
            String stage = a.stage() == null || a.stage().isEmpty() ? "new" : a.stage();
            double[] c = byStage.computeIfAbsent(stage, k -> new double[4]);
            c[0]++;
            c[1] += a.totalSpend();
            c[2] += a.orderCount();
            c[3] += Math.max(1, Duration.between(p.createdAt(), end).toDays());
        }
        ArrayNode rows = json.createArrayNode();
        byStage.entrySet().stream().sorted((x, y) -> Double.compare(y.getValue()[1] / y.getValue()[0], x.getValue()[1] / x.getValue()[0]))
                .forEach(e -> {
                    double[] c = e.getValue();
                    rows.addObject().put("lifecycle_stage", e.getKey()).put("user_count", (long) c[0])
                            .put("avg_cumulative_spend", round(c[1] / c[0], 2)).put("avg_order_count", round(c[2] / c[0], 1))
                            .put("daily_contribution", round((c[1] / c[0]) / (c[3] / c[0]), 2));
                });
        return rows;
    }

    private ArrayNode successMetrics(Simulation sim, List<CustomerProfile> profiles, Map<String, List<TimelineEvent>> timelines,
                                     Instant end) {
        ArrayNode rows = json.createArrayNode();
        Instant mid = sim.start().plus(Duration.between(sim.start(), end).dividedBy(2));
        long friendsMid = profiles.stream().filter(p -> activeAt(p, mid)).count();
        long friendsEnd = profiles.stream().filter(p -> activeAt(p, end)).count();
        double halfDays = Math.max(1, Duration.between(mid, end).toHours() / 24.0);
        Double growth = friendsMid == 0 ? null : (friendsEnd - friendsMid) * 100.0 / friendsMid * (30.0 / halfDays);
        metric(rows, "WeCom friend net monthly growth (%)", growth, "> 15", growth != null && growth > 15,
                "net friends (active relationships) from the window's midpoint to its end, scaled to 30 days");
        List<CustomerProfile> members = profiles.stream().filter(p -> !p.activity().groups().isEmpty()).toList();
        long active7 = members.stream().filter(p -> p.activity().lastInteractionAt() != null
                && !p.activity().lastInteractionAt().isBefore(end.minus(Duration.ofDays(7)))).count();
        Double activity = members.isEmpty() ? null : active7 * 100.0 / members.size();
        metric(rows, "Community 7-day activity rate (%)", activity, "> 35", activity != null && activity > 35,
                "group members who posted, replied or purchased in the last 7 days");
        List<CustomerProfile> cohort = profiles.stream()
                .filter(p -> !p.createdAt().isAfter(end.minus(Duration.ofDays(7)))).toList();
        long converted = cohort.stream().filter(p -> p.activity().firstPurchaseAt() != null
                && !p.activity().firstPurchaseAt().isAfter(p.createdAt().plus(Duration.ofDays(7)))).count();
        Double firstPurchase = cohort.isEmpty() ? null : converted * 100.0 / cohort.size();
        metric(rows, "New customer 7-day first-purchase conversion (%)", firstPurchase, "> 20",
                firstPurchase != null && firstPurchase > 20, "customers added at least 7 days before the end");
        long repurchasers = members.stream().filter(p -> purchasesSince(timelines.get(p.customerId()), end.minus(Duration.ofDays(30))) >= 2).count();
        Double repurchase = members.isEmpty() ? null : repurchasers * 100.0 / members.size();
        metric(rows, "Community user monthly repurchase rate (%)", repurchase, "> 15", repurchase != null && repurchase > 15,
                "group members with 2+ purchases in the last 30 days");
        for (String notMeasured : List.of("Private domain user LTV vs public-domain users (x) | >= 3 | needs a public-domain baseline",
                "User NPS | > 40 | needs survey answers", "Per-user acquisition cost (yuan) | < 5 | needs cost inputs",
                "Private domain GMV share of brand GMV (%) | > 20 | needs total brand GMV")) {
            String[] f = notMeasured.split(" \\| ");
            rows.addObject().put("metric", f[0]).putNull("value").put("target", f[1]).put("status", "not measured")
                    .put("why", f[2]);
        }
        return rows;
    }

    private void metric(ArrayNode rows, String name, Double value, String target, boolean met, String how) {
        ObjectNode row = rows.addObject().put("metric", name);
        if (value == null) {
            row.putNull("value");
        } else {
            row.put("value", round(value, 1));
        }
        row.put("target", target).put("status", value == null ? "not measured" : met ? "met" : "missed").put("how", how);
    }

    private ObjectNode journeys(Simulation sim, Map<String, String> ids) {
        Map<String, long[]> byJourney = new TreeMap<>();
        for (String id : ids.keySet()) {
            for (JourneyRun r : sim.ports().runs().runs(sim.config().tenant(), id)) {
                long[] c = byJourney.computeIfAbsent(r.journey(), k -> new long[4]);
                c[0]++;
                c[1] += r.status() == JourneyRun.Status.COMPLETED ? 1 : 0;
                c[2] += r.status() == JourneyRun.Status.EXITED ? 1 : 0;
                c[3] += r.goalReachedAt() != null ? 1 : 0;
            }
        }
        ObjectNode out = json.createObjectNode();
        byJourney.forEach((j, c) -> out.putObject(j).put("runs", c[0]).put("completed", c[1]).put("exited", c[2])
                .put("goal_reached", c[3]).put("goal_conversion_rate", pct(c[3], c[0], 1)));
        return out;
    }

    private static long purchasesSince(List<TimelineEvent> events, Instant since) {
        return events == null ? 0 : events.stream().filter(e -> "purchase".equals(e.kind()) && !e.at().isBefore(since)).count();
    }

    private static boolean activeAt(CustomerProfile p, Instant at) {
        if (p.createdAt().isAfter(at)) {
            return false;
        }
        return p.relationships().values().stream().anyMatch(r -> !r.since().isAfter(at)
                && (r.status() != StaffRelationship.Status.ENDED || r.endedAt().isAfter(at)));
    }

    private static double pct(long part, long whole, int digits) {
        return whole == 0 ? 0 : round(part * 100.0 / whole, digits);
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static void printMembers(PrintStream out, ObjectNode m) {
        out.printf("%nMini Program members and orders (through /miniapp/* and /ingest/orders)%n");
        out.printf("   members %d, signed in %d (%d logins), WeCom contacts %d, linked to them %d%n",
                m.path("members").asLong(), m.path("signed_in").asLong(), m.path("logins").asLong(),
                m.path("with_wecom_contact").asLong(), m.path("wecom_linked").asLong());
        out.printf("   consents granted %s, withdrawn %s%n", m.path("consents_granted"), m.path("consents_withdrawn"));
        out.printf("   orders %s%n", m.path("orders"));
        out.printf("   points %s%n", m.path("points"));
        out.printf("   redemptions %s%n", m.path("redemptions"));
        out.printf("   subscriptions %s, store visits %s%n", m.path("subscriptions"), m.path("store_visits"));
        out.printf("   events %s, member requests %s%n", m.path("events"), m.path("requests"));
    }

    /** The same document as text, for a person at a terminal. */
    public void print(PrintStream out) {
        ObjectNode r = root.with("run");
        out.printf("%n%d customers over %d days (virtual), %.1f s wall; %d journey steps run, %d WeCom calls%n",
                r.path("customers").asLong(), r.path("days").asLong(), r.path("wall_seconds").asDouble(),
                r.path("steps_run").asLong(), r.path("wecom_calls").asLong());
        out.println("\n1. Channel acquisition efficiency");
        out.printf("   %-40s %11s %18s %10s%n", "channel", "new_friends", "first_interactions", "rate %");
        root.with("funnel").withArray("channel_acquisition").forEach(n -> out.printf("   %-40s %11d %18d %10.1f%n",
                n.path("channel").asText(), n.path("new_friends").asLong(), n.path("first_interactions").asLong(),
                n.path("interaction_conversion_rate").asDouble()));
        out.println("\n2. Community conversion funnel");
        out.printf("   %-24s %13s %16s %10s %10s%n", "group_type", "group_members", "product_clickers", "purchasers", "rate %");
        root.with("funnel").withArray("community_conversion").forEach(n -> out.printf("   %-24s %13d %16d %10d %10.2f%n",
                n.path("group_type").asText(), n.path("group_members").asLong(), n.path("product_clickers").asLong(),
                n.path("purchasers").asLong(), n.path("group_conversion_rate").asDouble()));
        out.println("\n3. LTV by lifecycle stage");
        out.printf("   %-16s %10s %20s %15s %18s%n", "lifecycle_stage", "user_count", "avg_cumulative_spend", "avg_order_count",
                "daily_contribution");
        root.with("funnel").withArray("ltv_by_lifecycle_stage").forEach(n -> out.printf("   %-16s %10d %20.2f %15.1f %18.2f%n",
                n.path("lifecycle_stage").asText(), n.path("user_count").asLong(), n.path("avg_cumulative_spend").asDouble(),
                n.path("avg_order_count").asDouble(), n.path("daily_contribution").asDouble()));
        out.println("\nSuccess metrics");
        root.withArray("success_metrics").forEach(n -> out.printf("   %-52s %8s  target %-5s %s%n", n.path("metric").asText(),
                n.path("value").isNull() ? "-" : String.format("%.1f", n.path("value").asDouble()), n.path("target").asText(),
                n.path("status").asText()));
        out.println("\nJourneys (runs, completed, exited, goal reached)");
        root.with("journeys").fields().forEachRemaining(e -> out.printf("   %-28s %6d %9d %7d %6d (%.1f%%)%n", e.getKey(),
                e.getValue().path("runs").asLong(), e.getValue().path("completed").asLong(), e.getValue().path("exited").asLong(),
                e.getValue().path("goal_reached").asLong(), e.getValue().path("goal_conversion_rate").asDouble()));
        ObjectNode sc = root.with("scoring");
        out.printf("%nCustomer scoring (last nightly run): %d scored, %d above the churn threshold %s; models %s%n",
                sc.path("customers_scored").asLong(), sc.path("above_threshold").asLong(), sc.path("threshold").asText(),
                sc.path("models").toString());
        out.print("   churn score  ");
        sc.with("churn_score_distribution").fields().forEachRemaining(e -> out.printf(" %s:%d", e.getKey(), e.getValue().asLong()));
        out.printf("%n   personas     %s%n   ltv tiers    %s%n", sc.path("personas").toString(), sc.path("ltv_tiers").toString());
        out.println("\nOutreach gate decisions");
        root.with("gate").fields().forEachRemaining(e -> out.printf("   %-36s %8d%n", e.getKey(), e.getValue().asLong()));
        if (root.with("run").path("fault_rate").asDouble() > 0) {
            out.printf("%nFaults injected (rate %.3f)%n", root.with("run").path("fault_rate").asDouble());
            root.with("faults").fields().forEachRemaining(e -> out.printf("   %-36s %8d%n", e.getKey(), e.getValue().asLong()));
        }
        out.println("\nCustomer mass messages (add_msg_template recipients) per customer-month");
        root.with("mass_message_budget").with("customer_months_by_used").fields().forEachRemaining(e ->
                out.printf("   used %-31s %8d%n", e.getKey(), e.getValue().asLong()));
        out.println("\nStaff desk (journey messages and staff tasks sent by staff from the sidebar)");
        root.with("staff_desk").fields().forEachRemaining(e -> out.printf("   %-36s %8d%n", e.getKey(),
                e.getValue().asLong()));
        printMembers(out, root.with("members"));
        out.println("\nRedelivery");
        root.with("redelivery").fields().forEachRemaining(e -> out.printf("   %-36s %8d%n", e.getKey(), e.getValue().asLong()));
        out.println("\nGuardrail invariants (from the recorded calls, timelines and runs)");
        root.with("invariants").fields().forEachRemaining(e -> out.printf("   %-36s %8d%n", e.getKey(), e.getValue().asLong()));
    }
}
