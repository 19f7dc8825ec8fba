package dev.siyu.core.journey;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.event.DedupKey;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.Decision;
import dev.siyu.core.gate.Touch;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.port.WeComApi.Attachment;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.time.Ids;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Performs one journey action for one customer (issue: "Actions"). Every touch that reaches the
 * customer passes the outreach gate first; only an ALLOW makes a WeCom call, and the gate's decision is
 * what the timeline records. Tag, stage and priority changes reach no one and are not gated.
 */
public final class ActionPerformer {
    private static final Duration MOMENTS_DEDUP = Duration.ofDays(2);
    private static final Duration DRAFT_DEDUP = Duration.ofDays(30);

    private final ScrmConfig config;
    private final Outreach outreach;
    private final WeComApi wecom;
    private final CorpTags corpTags;
    private final GroupStore groups;
    private final CustomerStore customers;
    private final Ids ids;

    public ActionPerformer(ScrmConfig config, Outreach outreach, WeComApi wecom, CorpTags corpTags, GroupStore groups,
                           CustomerStore customers, Ids ids) {
        this.config = config;
        this.outreach = outreach;
        this.wecom = wecom;
        this.corpTags = corpTags;
        this.groups = groups;
        this.customers = customers;
        this.ids = ids;
    }

    /** Performs and records the touch that went out right away (a read and a write of its own). */
    public Performed perform(CustomerProfile p, Action action, Map<String, String> context, Instant now) {
        return perform(p, null, action, context, now);
    }

    /**
     * Performs with the customer's touch records already read (known) and hands the records of what
     * went out back in {@link Performed#touches}, for the caller to write with the step's events; null
     * known reads and records on the spot.
     */
    public Performed perform(CustomerProfile p, List<TouchRecord> known, Action action, Map<String, String> context,
                             Instant now) {
        return new Step(known).perform(p, action, context, now);
    }

    /** One action's touches: asked with what the caller read, recorded as it asked. */
    private final class Step {
        private final List<TouchRecord> known;
        private final List<TouchRecord> records = new java.util.ArrayList<>();

        Step(List<TouchRecord> known) {
            this.known = known;
        }

        Outreach.Asked ask(CustomerProfile p, Touch touch, Instant now, String sentKind, Map<String, String> details) {
            return known == null ? outreach.ask(p, touch, now, sentKind, details)
                    : outreach.ask(p, known, touch, now, sentKind, details);
        }

        void sent(CustomerProfile p, Outreach.Asked asked, Touch touch, Map<String, String> context, Instant now) {
            if (known == null) {
                outreach.sent(p.tenant(), touch, now);
            } else {
                records.addAll(outreach.records(asked, touch, now, context.get("journey") + "#" + context.get("run")
                        + "#" + context.get("step")));
            }
        }

        Performed perform(CustomerProfile p, Action action, Map<String, String> context, Instant now) {
            Performed done = ActionPerformer.this.perform(this, p, action, context, now);
            return records.isEmpty() ? done
                    : new Performed(done.changed(), done.events(), done.deferredUntil(), records);
        }
    }

    private Performed perform(Step step, CustomerProfile p, Action action, Map<String, String> context, Instant now) {
        String staff = staffFor(p);
        if (action instanceof Action.ChangeTags a) {
            return changeTags(p, Set.copyOf(a.add()), Set.copyOf(a.remove()), staff, context, now);
        } else if (action instanceof Action.ChangeStage a) {
            CustomerProfile next = p.withActivity(p.activity().withStage(a.stage()), now);
            return new Performed(next, List.of(event(now, "stage_changed", null, context, Map.of("stage", a.stage()))), null);
        } else if (action instanceof Action.LowerPriority) {
            CustomerProfile next = p.withActivity(p.activity().withLowPriority(true), now);
            return new Performed(next, List.of(event(now, "priority_lowered", null, context, Map.of())), null);
        }
        if (staff == null) {
            return new Performed(null, List.of(event(now, Outreach.DROPPED, null, context,
                    Map.of("rule", "RELATIONSHIP", "reason", "the customer has no staff member to go through"))), null);
        }
        if (action instanceof Action.SendMessage a) {
            Touch touch = Touch.privateMessage(p.customerId(), staff, a.content()).asJourneyStep();
            return gated(step, p, touch, "message_sent", context, now, () -> wecom.addMsgTemplate(
                    MsgTemplate.single(staff, List.of(p.externalUserId()), a.text(), attachment(a))));
        } else if (action instanceof Action.StaffTask a) {
            return staffTask(step, p, a, staff, context, now);
        } else if (action instanceof Action.IssueCoupon a) {
            Touch touch = Touch.coupon(p.customerId(), staff).asJourneyStep();
            return gated(step, p, touch, "coupon_issued", withDetail(context, "coupon", a.coupon()), now,
                    () -> wecom.addMsgTemplate(MsgTemplate.single(staff, List.of(p.externalUserId()), a.text(),
                            new Attachment("miniprogram", a.coupon(), "pages/coupon/index?coupon=" + a.coupon()))));
        } else if (action instanceof Action.GroupInvite a) {
            return groupInvite(step, p, a, staff, context, now);
        } else if (action instanceof Action.GroupMessage a) {
            return groupMessage(step, p, a, context, now);
        } else if (action instanceof Action.MomentsPost a) {
            return momentsPost(step, p, a, staff, context, now);
        }
        throw new IllegalArgumentException("unknown action " + action.type());
    }

    private Performed gated(Step step, CustomerProfile p, Touch touch, String sentKind, Map<String, String> context,
                            Instant now, Runnable send) {
        Outreach.Asked asked = step.ask(p, touch, now, sentKind, context);
        Decision d = asked.decision();
        if (d.allowed()) {
            try {
                send.run();
            } catch (WeComApiException e) {
                if (e.errcode() != WeComApiException.MONTHLY_SEND_CAP) {
                    throw e;
                }
                // Not a failure to retry: WeCom will refuse it all month. It waits for next month instead
                // of going round the queue into the DLQ.
                Outreach.Asked refused = outreach.platformRefused(p, touch, now, context);
                return new Performed(null, List.of(refused.event()), refused.decision().until());
            }
            step.sent(p, asked, touch, context, now);
        }
        return new Performed(null, List.of(asked.event()), d.kind() == Decision.Kind.DEFER ? d.until() : null);
    }

    private Performed staffTask(Step step, CustomerProfile p, Action.StaffTask a, String staff,
                                Map<String, String> context, Instant now) {
        Touch touch = Touch.privateMessage(p.customerId(), staff, a.content()).asJourneyStep().asHumanStep();
        Map<String, String> details = withDetail(context, "task", a.task());
        Outreach.Asked asked = step.ask(p, touch, now, Outreach.TO_HUMAN, details);
        if (asked.decision().kind() == Decision.Kind.CONVERT_TO_HUMAN) {
            // The draft waits in the staff member's WeCom until they confirm it; the task tells them why.
            // One draft per run step: when the notification fails and the step is redelivered, the draft
            // already made is not made again.
            DedupKey draft = new DedupKey("draft|" + p.customerId() + "|" + context.get("journey") + "|"
                    + context.get("run") + "|" + context.get("step"));
            if (customers.claim(p.tenant(), draft, now, DRAFT_DEDUP)) {
                try {
                    wecom.addMsgTemplate(MsgTemplate.single(staff, List.of(p.externalUserId()), a.draft(), null));
                } catch (RuntimeException e) {
                    customers.release(p.tenant(), draft);
                    throw e;
                }
            }
            wecom.notifyStaff(List.of(staff), (a.senior() ? "[senior advisor] " : "") + "Task " + a.task() + " for "
                    + (p.name() == null ? p.externalUserId() : p.name()) + ": a draft is waiting for you to review and send.");
        }
        Instant until = asked.decision().kind() == Decision.Kind.DEFER ? asked.decision().until() : null;
        return new Performed(null, List.of(asked.event()), until);
    }

    private Performed groupInvite(Step step, CustomerProfile p, Action.GroupInvite a, String staff,
                                  Map<String, String> context, Instant now) {
        if (p.activity().groups().containsValue(a.groupType())) {
            return new Performed(null, List.of(event(now, "step_skipped", staff, context,
                    Map.of("reason", "already in a " + a.groupType()))), null);
        }
        Optional<GroupStore.Group> group = groupWithRoom(p.tenant(), a.groupType());
        if (group.isEmpty()) {
            return new Performed(null, List.of(event(now, Outreach.DROPPED, staff, context,
                    Map.of("rule", "GROUP_FULL", "reason", "no " + a.groupType() + " has room"))), null);
        }
        Touch touch = Touch.groupInvite(p.customerId(), staff, group.get().chatId()).asJourneyStep();
        return gated(step, p, touch, "group_invite_sent", withDetail(context, "group", group.get().chatId()), now,
                () -> wecom.addMsgTemplate(MsgTemplate.single(staff, List.of(p.externalUserId()), a.text(),
                        new Attachment("link", group.get().name(), "https://work.weixin.qq.com/gm/" + group.get().chatId()))));
    }

    private Optional<GroupStore.Group> groupWithRoom(String tenant, String groupType) {
        int max = config.groupType(groupType).map(g -> g.maxMembers()).orElse(500);
        return groups.groups(tenant).stream()
                .filter(g -> groupType.equals(g.groupType()) && "active".equals(g.status()) && g.memberCount() < max)
                .min(Comparator.comparingInt(GroupStore.Group::memberCount));
    }

    private Performed groupMessage(Step step, CustomerProfile p, Action.GroupMessage a, Map<String, String> context,
                                   Instant now) {
        // The group whose join started the run (onboarding), else the customer's group in a stable order.
        String started = context.get("chat_id");
        Optional<String> chat = started != null && p.activity().groups().containsKey(started)
                ? Optional.of(started)
                : p.activity().groups().keySet().stream().sorted().findFirst();
        Optional<GroupStore.Group> group = chat.flatMap(c -> groups.group(p.tenant(), c));
        if (group.isEmpty()) {
            return new Performed(null, List.of(event(now, "step_skipped", null, context,
                    Map.of("reason", "the customer is in no group"))), null);
        }
        // Not a journey step for the weekly cap: the post goes to the group, not into the member's chat.
        Touch touch = Touch.groupMessage(p.customerId(), group.get().chatId(), a.content());
        String text = a.text().replace("{name}", p.name() == null ? "" : p.name());
        return gated(step, p, touch, "group_message_drafted", withDetail(context, "group", group.get().chatId()), now,
                () -> wecom.addMsgTemplate(MsgTemplate.group(group.get().owner(), List.of(group.get().chatId()), text, null)));
    }

    private Performed momentsPost(Step step, CustomerProfile p, Action.MomentsPost a, String staff,
                                  Map<String, String> context, Instant now) {
        Touch touch = Touch.momentsPost(p.customerId(), staff, ContentClass.VALUE).asJourneyStep();
        Outreach.Asked asked = step.ask(p, touch, now, "moments_post_visible", context);
        if (!asked.decision().allowed()) {
            // The tag is what shows the customer the post: a touch the gate did not allow marks nothing.
            Instant until = asked.decision().kind() == Decision.Kind.DEFER ? asked.decision().until() : null;
            return new Performed(null, List.of(asked.event()), until);
        }
        Performed tagged = changeTags(p, Set.of(a.visibleToTag()), Set.of(), staff, context, now);
        // One post per text, tag and day: customers tagged later that day see the same post, so the
        // daily Moments cap holds however many dormant customers reach this step.
        String day = now.atZone(config.timezone()).toLocalDate().toString();
        DedupKey key = new DedupKey("moments|" + day + "|" + a.visibleToTag() + "|" + Integer.toHexString(a.text().hashCode()));
        if (customers.claim(p.tenant(), key, now, MOMENTS_DEDUP)) {
            List<String> senders = config.staff().stream().map(StaffMember::userId).toList();
            try {
                wecom.addMomentTask(a.text(), senders, corpTags.ensure(List.of(a.visibleToTag())));
            } catch (RuntimeException e) {
                // Give the day's post back, so the redelivered step (or the next customer) posts it.
                customers.release(p.tenant(), key);
                throw e;
            }
        }
        step.sent(p, asked, touch, context, now);
        List<TimelineEvent> events = new java.util.ArrayList<>(tagged.events());
        events.add(asked.event());
        return new Performed(tagged.changed(), events, null);
    }

    private Performed changeTags(CustomerProfile p, Set<String> add, Set<String> remove, String staff,
                                 Map<String, String> context, Instant now) {
        Set<String> adding = new java.util.TreeSet<>(add);
        adding.removeAll(p.tags());
        Set<String> removing = new java.util.TreeSet<>(remove);
        removing.retainAll(p.tags());
        if (adding.isEmpty() && removing.isEmpty()) {
            return new Performed(null, List.of(), null);
        }
        // WeCom marks tags through a friendship; an ended one must not be used, the profile still changes.
        StaffRelationship through = staff == null ? null : p.relationships().get(staff);
        if (through != null && through.status() == StaffRelationship.Status.ACTIVE) {
            wecom.markTag(staff, p.externalUserId(), corpTags.ensure(List.copyOf(adding)),
                    corpTags.ensure(List.copyOf(removing)));
        }
        CustomerProfile next = p.withTags(adding, removing, now);
        return new Performed(next, List.of(event(now, "tags_changed", staff, context,
                Map.of("added", String.join(",", adding), "removed", String.join(",", removing)))), null);
    }

    /** The staff member touches go through: the latest active relationship, else the latest at all (the gate then drops it). */
    static String staffFor(CustomerProfile p) {
        return p.relationships().values().stream()
                .sorted(Comparator.comparing((StaffRelationship r) -> r.status() == StaffRelationship.Status.ACTIVE)
                        .thenComparing(r -> r.since() == null ? Instant.EPOCH : r.since()))
                .reduce((a, b) -> b)
                .map(StaffRelationship::staffUserId)
                .orElse(null);
    }

    private static Attachment attachment(Action.SendMessage a) {
        switch (a.kind()) {
            case IMAGE:
                return new Attachment("image", a.title(), a.url());
            case LINK:
                return new Attachment("link", a.title(), a.url());
            case MINIPROGRAM:
                return new Attachment("miniprogram", a.title(), a.url());
            default:
                return null;
        }
    }

    private TimelineEvent event(Instant now, String kind, String staff, Map<String, String> context,
                                Map<String, String> extra) {
        Map<String, String> d = new LinkedHashMap<>(context);
        d.putAll(extra);
        return new TimelineEvent(ids.next("ev", now), now, kind, staff, d);
    }

    private static Map<String, String> withDetail(Map<String, String> context, String key, String value) {
        Map<String, String> d = new LinkedHashMap<>(context);
        d.put(key, value);
        return d;
    }
}
