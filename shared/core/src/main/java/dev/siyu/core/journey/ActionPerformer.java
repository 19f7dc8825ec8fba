package dev.siyu.core.journey;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.event.DedupKey;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.Decision;
import dev.siyu.core.gate.Touch;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.outreach.SendReconciler;
import dev.siyu.core.outreach.SubscriptionMessages;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.desk.DeskTask;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.DeskStore;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.StaffLoadStore;
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
import java.util.ArrayList;
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
    private static final int RESERVE_ATTEMPTS = 3;
    private static final Duration NOTIFY_DEDUP = Duration.ofDays(30);
    /**
     * How long a desk task waits for its staff member: two days, then it expires and the customer simply did not
     * get that touch (the journey moved on when it made the task).
     */
    public static final Duration DESK_TASK_LIFETIME = Duration.ofDays(2);
    /** The timeline event of a journey message left on the staff desk. */
    public static final String DESK_TASK_CREATED = "desk_task_created";
    /** The timeline event of a journey message that went out as a Mini Program subscription message. */
    public static final String SUBSCRIPTION_SENT = "subscription_message_sent";
    /** The timeline event of a subscription message WeChat refused; the step then went its normal way. */
    public static final String SUBSCRIPTION_REFUSED = "subscription_message_refused";
    /** Ends the touch id of a step's subscription message (its own: a fallback keeps the step's). */
    static final String SUBSCRIPTION_TOUCH = "#subscription";
    private static final System.Logger LOG = System.getLogger(ActionPerformer.class.getName());

    private final ScrmConfig config;
    private final Outreach outreach;
    private final WeComApi wecom;
    private final CorpTags corpTags;
    private final GroupStore groups;
    private final CustomerStore customers;
    private final Ids ids;
    private final SendReconciler reconciler;
    private final DailyMomentsPost dailyPost;
    private final SeniorAdvisors seniors;
    private final DeskStore desk;
    private final SubscriptionMessages subscriptions;

    /**
     * @param loads the pools' counters that pick the least loaded senior advisor; null counts all alike
     * @param desk  where 1-on-1 messages and staff tasks wait for their staff member to send them
     */
    public ActionPerformer(ScrmConfig config, Outreach outreach, WeComApi wecom, CorpTags corpTags, GroupStore groups,
                           CustomerStore customers, Ids ids, StaffLoadStore loads, DeskStore desk) {
        this(config, outreach, wecom, corpTags, groups, customers, ids, loads, desk, null);
    }

    /**
     * @param subscriptions sends a message step named for a subscription template as a Mini Program subscription
     *                      message when the member has a live one; null: such steps always go their normal way
     */
    public ActionPerformer(ScrmConfig config, Outreach outreach, WeComApi wecom, CorpTags corpTags, GroupStore groups,
                           CustomerStore customers, Ids ids, StaffLoadStore loads, DeskStore desk,
                           SubscriptionMessages subscriptions) {
        this.subscriptions = subscriptions;
        this.desk = java.util.Objects.requireNonNull(desk, "desk");
        this.seniors = new SeniorAdvisors(config, loads);
        this.reconciler = new SendReconciler(wecom);
        this.dailyPost = new DailyMomentsPost(config, outreach, wecom, corpTags, reconciler);
        this.config = config;
        this.outreach = outreach;
        this.wecom = wecom;
        this.corpTags = corpTags;
        this.groups = groups;
        this.customers = customers;
        this.ids = ids;
    }

    /**
     * Performs with the customer's touch records already read (known): a touch the gate allows is reserved
     * as an intent ({@link TouchRecord.Status#SENDING}) before its WeCom call and handed back settled in
     * {@link Performed#touches}, for the caller to write with the step's events. An intent of this step that a
     * previous delivery left unsettled is reconciled with WeCom, never sent again blindly.
     */
    public Performed perform(CustomerProfile p, List<TouchRecord> known, Action action, Map<String, String> context,
                             Instant now) {
        return new Step(p, known).perform(action, context, now);
    }

    /**
     * Settles, without sending anything, the intent an earlier delivery of this step left unsettled, for a step
     * that now exits or is skipped: found in WeCom (or not to be known) it is settled as sent with its event;
     * certainly absent, cancelled (its cap slot freed). Makes no WeCom call but the lookups, marks no tag.
     */
    public Performed resolve(CustomerProfile p, List<TouchRecord> known, Action action, Map<String, String> context,
                             Instant now) {
        Step step = new Step(p, known, true);
        if (action instanceof Action.SendMessage m && m.subscription() != null
                && step.pending(touchId(p, context) + SUBSCRIPTION_TOUCH).isPresent()) {
            return resolveSubscription(step, p, m, context, now);
        }
        if ((action instanceof Action.StaffTask || action instanceof Action.SendMessage)
                && step.pending(touchId(p, context)).isPresent()) {
            return resolveDesk(step, p, action, context, now);
        }
        if (action instanceof Action.StaffTask a) {
            return resolveDraft(step, p, a, context, now);
        }
        if (step.pending(touchId(p, context)).isEmpty() || !sends(action) || staffFor(p) == null) {
            return new Performed(null, List.of(), null);
        }
        ActionPerformer.this.perform(step, p, action, context, now);
        return new Performed(null, step.resolvedEvents, null, step.settled);
    }

    /**
     * A staff task's draft an earlier delivery left unsettled, for a step that now exits: looked up in WeCom as any of
     * the customer's staff members may have made it (the advisor, or a senior advisor who is their contact); found or
     * not to be known, it is settled with its {@code staff_task_created}; certainly absent, cancelled.
     */
    private Performed resolveDraft(Step step, CustomerProfile p, Action.StaffTask a, Map<String, String> context,
                                   Instant now) {
        Optional<TouchRecord> mine = step.pending(touchId(p, context) + "#draft");
        if (mine.isEmpty()) {
            return new Performed(null, List.of(), null);
        }
        SendReconciler.Lookup found = SendReconciler.Lookup.of(SendReconciler.Lookup.Kind.ABSENT);
        String drafter = null;
        for (String staff : p.relationships().keySet().stream().sorted().toList()) {
            found = reconciler.message(MsgTemplate.single(staff, List.of(p.externalUserId()), a.draft(), null),
                    mine.get().at(), now);
            if (found.kind() != SendReconciler.Lookup.Kind.ABSENT) {
                drafter = staff;
                break;
            }
        }
        if (drafter == null) {
            step.settle(mine.get(), TouchRecord.Status.CANCELLED, null);
            return new Performed(null, List.of(), null, step.settled);
        }
        step.settle(mine.get(), TouchRecord.Status.SENT, found.outcome());
        Touch touch = Touch.privateMessage(p.customerId(), drafter, a.content()).asJourneyStep().asHumanStep();
        return new Performed(null, List.of(outreach.alreadySent(touch, now, Outreach.TO_HUMAN,
                withDetail(context, "task", a.task()), found.outcome())), null, step.settled);
    }

    /**
     * A subscription message's intent an earlier delivery left unsettled, for a step that now exits or is skipped:
     * a subscription taken for it means the message may have gone out (WeChat keeps no list to ask), so it is
     * recorded as sent with an unknown outcome; none taken, nothing went out and the intent is cancelled.
     */
    private Performed resolveSubscription(Step step, CustomerProfile p, Action.SendMessage a,
                                          Map<String, String> context, Instant now) {
        TouchRecord mine = step.pending(touchId(p, context) + SUBSCRIPTION_TOUCH).orElseThrow();
        if (subscriptions == null || !subscriptions.took(p, a.subscription(), mine.id())) {
            step.settle(mine, TouchRecord.Status.CANCELLED, null);
            return new Performed(null, List.of(), null, step.settled);
        }
        step.settle(mine, TouchRecord.Status.SENT, "unknown");
        Touch touch = Touch.subscriptionMessage(p.customerId(), a.content()).asJourneyStep();
        return new Performed(null, List.of(outreach.alreadySent(touch, now, SUBSCRIPTION_SENT,
                withDetail(context, "subscription", a.subscription()), "unknown")), null, step.settled);
    }

    /**
     * A desk task's intent an earlier delivery left unsettled, for a step that now exits: the task it made stands
     * (the staff member may be sending it) and the intent is settled with it; no task made, the intent is cancelled.
     */
    private Performed resolveDesk(Step step, CustomerProfile p, Action action, Map<String, String> context,
                                  Instant now) {
        TouchRecord mine = step.pending(touchId(p, context)).orElseThrow();
        Optional<DeskTask> made = p.relationships().keySet().stream().sorted()
                .map(staff -> desk.task(p.tenant(), staff, DeskTask.idFor(mine.id())))
                .flatMap(Optional::stream).findFirst();
        if (made.isEmpty()) {
            step.settle(mine, TouchRecord.Status.CANCELLED, null);
            return new Performed(null, List.of(), null, step.settled);
        }
        settleDesk(step, mine, made.get());
        boolean task = action instanceof Action.StaffTask;
        Touch touch = Touch.privateMessage(p.customerId(), made.get().staffUserId(),
                task ? ((Action.StaffTask) action).content() : ((Action.SendMessage) action).content()).asJourneyStep();
        return new Performed(null, List.of(outreach.alreadySent(touch, now, task ? Outreach.TO_HUMAN : DESK_TASK_CREATED,
                withDetail(context, "desk_task", made.get().id()), "desk:" + made.get().id())), null, step.settled);
    }

    /** The actions that reserve an intent before their WeCom call. */
    static boolean sends(Action a) {
        return a instanceof Action.IssueCoupon || a instanceof Action.GroupInvite
                || a instanceof Action.GroupMessage || a instanceof Action.MomentsPost;
    }

    /**
     * The touch id of a journey step's delivery: {@code <journey>#<customer>#<run>#<step>}. A run id is unique
     * for its customer only (it is made from the trigger's time: two customers added in the same second have runs
     * of the same id), and a touch id must name one delivery in the whole tenant.
     */
    static String touchId(CustomerProfile p, Map<String, String> context) {
        return context.get("journey") + "#" + p.customerId() + "#" + context.get("run") + "#" + context.get("step");
    }

    /** One action's touches: asked with what the caller read, reserved before sending, settled after. */
    private final class Step {
        private final CustomerProfile p;
        private List<TouchRecord> known;
        private final List<TouchRecord> settled = new ArrayList<>();
        /** Only settling an earlier intent (see {@link #resolve}): nothing is sent. */
        private final boolean resolving;
        private final List<TimelineEvent> resolvedEvents = new ArrayList<>();

        Step(CustomerProfile p, List<TouchRecord> known) {
            this(p, known, false);
        }

        Step(CustomerProfile p, List<TouchRecord> known, boolean resolving) {
            this.p = p;
            this.known = known;
            this.resolving = resolving;
        }

        /** This delivery's intent left unsettled by an earlier one, if any. */
        Optional<TouchRecord> pending(String touchId) {
            return known.stream()
                    .filter(r -> r.id().equals(touchId) && r.status() == TouchRecord.Status.SENDING)
                    .max(Comparator.comparing(TouchRecord::at));
        }

        Outreach.Asked ask(Touch touch, Instant now, String sentKind, Map<String, String> details,
                           Optional<TouchRecord> mine) {
            // Our own earlier intent is not a touch the customer got from someone else: it does not hold a slot
            // against us.
            List<TouchRecord> others = mine.isEmpty() ? known
                    : known.stream().filter(r -> !(r.id().equals(mine.get().id()) && r.at().equals(mine.get().at())))
                    .toList();
            return outreach.ask(p, others, touch, now, sentKind, details);
        }

        void reread() {
            known = outreach.touches(p.tenant(), p.customerId());
        }

        void settle(TouchRecord r, TouchRecord.Status how, String outcome) {
            settled.add(r.settled(how, outcome));
        }

        Performed perform(Action action, Map<String, String> context, Instant now) {
            Performed done = ActionPerformer.this.perform(this, p, action, context, now);
            return settled.isEmpty() ? done
                    : new Performed(done.change(), done.events(), done.deferredUntil(), settled);
        }
    }

    private Performed perform(Step step, CustomerProfile p, Action action, Map<String, String> context, Instant now) {
        if (action instanceof Action.SendMessage a && a.subscription() != null && subscriptions != null) {
            BySubscription by = bySubscription(step, p, a, context, now);
            if (by.performed() != null) {
                return by.performed();
            }
            Performed normal = performNormally(step, p, action, context, now);
            if (by.notes().isEmpty()) {
                return normal;
            }
            List<TimelineEvent> events = new ArrayList<>(by.notes());
            events.addAll(normal.events());
            return new Performed(normal.change(), events, normal.deferredUntil(), normal.touches());
        }
        return performNormally(step, p, action, context, now);
    }

    /** A subscription message's outcome: performed (sent, deferred or dropped), or null with notes to go on with. */
    private record BySubscription(Performed performed, List<TimelineEvent> notes) { }

    /**
     * A message step named for a subscription template, as a Mini Program subscription message when the member has
     * a live one-time subscription to it: asked at the gate as {@link dev.siyu.core.gate.Channel#SUBSCRIPTION_MESSAGE}
     * (no friendship, no mass-message budget), its slot reserved as an intent under the step's touch id plus
     * {@value #SUBSCRIPTION_TOUCH}, then one subscription taken for that touch id (a conditional decrement), then
     * subscribeMessage.send. Taking last keeps the window small in which a crash leaves it unknown whether the
     * message went: a redelivery that finds the intent and the subscription taken never sends again (WeChat keeps
     * no list to ask) and records the touch as sent with an unknown outcome; one that finds the intent but nothing
     * taken sends under it. No live subscription, or WeChat's 43101 (none left: recorded), or another refusal:
     * the step goes its normal way, with the intent cancelled.
     */
    private BySubscription bySubscription(Step step, CustomerProfile p, Action.SendMessage a,
                                          Map<String, String> context, Instant now) {
        String id = touchId(p, context) + SUBSCRIPTION_TOUCH;
        Touch touch = Touch.subscriptionMessage(p.customerId(), a.content()).asJourneyStep();
        Map<String, String> details = withDetail(context, "subscription", a.subscription());
        Optional<TouchRecord> mine = step.pending(id);
        if (mine.isPresent() && subscriptions.took(p, a.subscription(), id)) {
            step.settle(mine.get(), TouchRecord.Status.SENT, "unknown");
            LOG.log(System.Logger.Level.WARNING, JsonLog.line("subscription message outcome unknown", "tenant",
                    p.tenant(), "customer", p.customerId(), "touch", id));
            return new BySubscription(new Performed(null, List.of(outreach.alreadySent(touch, now, SUBSCRIPTION_SENT,
                    details, "unknown")), null), List.of());
        }
        Optional<SubscriptionMessages.Target> target = subscriptions.target(p, a.subscription(), id);
        if (target.isEmpty()) {
            mine.ifPresent(r -> cancel(step, p, r));
            return new BySubscription(null, List.of());
        }
        for (int attempt = 1; ; attempt++) {
            Outreach.Asked asked = step.ask(touch, now, SUBSCRIPTION_SENT, details, mine);
            if (!asked.decision().allowed()) {
                // Consent, review, the journey cap, the mix and quiet hours hold for the step's normal way too.
                mine.ifPresent(r -> step.settle(r, TouchRecord.Status.CANCELLED, null));
                return new BySubscription(notSent(asked), List.of());
            }
            TouchRecord intent = mine.orElseGet(() -> outreach.records(asked, touch, now, id).get(0).intent());
            if (mine.isEmpty() && !outreach.reserve(p.tenant(), intent)) {
                if (attempt == RESERVE_ATTEMPTS) {
                    throw new StepBusy("another touch of customer " + p.customerId() + " kept taking the slot of "
                            + id);
                }
                step.reread();
                continue;
            }
            if (!subscriptions.take(p, target.get(), id, now)) {
                // Another touch used the member's last one since the read.
                cancel(step, p, intent);
                return new BySubscription(null, List.of());
            }
            SubscriptionMessages.Sent sent = subscriptions.send(p, target.get(), id, a.text(), now);
            if (sent == SubscriptionMessages.Sent.SENT) {
                step.settle(intent, TouchRecord.Status.SENT, "subscription:" + target.get().template().templateId());
                return new BySubscription(new Performed(null, List.of(asked.event()), null), List.of());
            }
            // WeChat answered, so the message did not go out: its slot is freed and the step goes its normal way.
            cancel(step, p, intent);
            return new BySubscription(null, List.of(event(now, SUBSCRIPTION_REFUSED, null, details, Map.of("reason",
                    sent == SubscriptionMessages.Sent.NONE_LEFT ? "WeChat: the member has no subscription left (43101)"
                            : "WeChat refused the message"))));
        }
    }

    /**
     * A subscription intent that will not be sent, cancelled at once (not only with the commit): the step's normal
     * way reserves its own slot next, and must see this one free.
     */
    private void cancel(Step step, CustomerProfile p, TouchRecord intent) {
        TouchRecord cancelled = intent.settled(TouchRecord.Status.CANCELLED, null);
        outreach.record(p.tenant(), cancelled);
        step.settled.add(cancelled);
        step.reread();
    }

    private Performed performNormally(Step step, CustomerProfile p, Action action, Map<String, String> context,
                                      Instant now) {
        String staff = staffFor(p);
        if (action instanceof Action.ChangeTags a) {
            return changeTags(p, Set.copyOf(a.add()), Set.copyOf(a.remove()), staff, context, now);
        } else if (action instanceof Action.ChangeStage a) {
            return new Performed(c -> c.withActivity(c.activity().withStage(a.stage()), now),
                    List.of(event(now, "stage_changed", null, context, Map.of("stage", a.stage()))), null);
        } else if (action instanceof Action.LowerPriority) {
            return new Performed(c -> c.withActivity(c.activity().withLowPriority(true), now),
                    List.of(event(now, "priority_lowered", null, context, Map.of())), null);
        }
        if (staff == null) {
            return new Performed(null, List.of(event(now, Outreach.DROPPED, null, context,
                    Map.of("rule", "RELATIONSHIP", "reason", "the customer has no staff member to go through"))), null);
        }
        if (action instanceof Action.SendMessage a) {
            Touch touch = Touch.privateMessage(p.customerId(), staff, a.content()).asJourneyStep();
            Attachment attachment = attachment(a);
            String title = a.title() != null ? a.title() : context.getOrDefault("label", context.get("step"));
            Sent made = toDesk(step, p, touch, DeskTask.MESSAGE, title,
                    a.text(), attachment == null ? List.of() : List.of(attachment), DESK_TASK_CREATED, context, now);
            if (made.out()) {
                String customer = p.name() == null ? p.externalUserId() : p.name();
                String id = touchId(p, context);
                // Told once: the task waits on the desk whether or not the staff member reads the notice.
                once(p.tenant(), new DedupKey(id + "#notify"), now, () -> wecom.touching(id + "#notify")
                        .notifyStaff(List.of(staff), "A message for " + customer + " is waiting on your desk in the"
                                + " chat sidebar: review it and send it from the chat."));
            }
            return made.performed();
        } else if (action instanceof Action.StaffTask a) {
            return staffTask(step, p, a, staff, context, now);
        } else if (action instanceof Action.IssueCoupon a) {
            Touch touch = Touch.coupon(p.customerId(), staff).asJourneyStep();
            return gated(step, p, touch, "coupon_issued", withDetail(context, "coupon", a.coupon()), now,
                    MsgTemplate.single(staff, List.of(p.externalUserId()), a.text(),
                            new Attachment("miniprogram", a.coupon(), "pages/coupon/index?coupon=" + a.coupon(),
                                    a.picture())));
        } else if (action instanceof Action.GroupInvite a) {
            return groupInvite(step, p, a, staff, context, now);
        } else if (action instanceof Action.GroupMessage a) {
            return groupMessage(step, p, a, context, now);
        } else if (action instanceof Action.MomentsPost a) {
            return momentsPost(step, p, a, staff, context, now);
        }
        throw new IllegalArgumentException("unknown action " + action.type());
    }

    /**
     * A 1-on-1 touch left on the staff desk, once per step: asked with {@link Outreach#askForDesk} (red lines,
     * review, the weekly journey cap and the mix; not quiet hours, the task waits for its staff member), its slot
     * reserved as an intent before the task is written, and settled with the step's commit. A redelivery that
     * finds its intent writes the task again (an existing one is kept) and sends nothing. No add_msg_template: the
     * staff member sends it from the sidebar as their own chat message, which is not a customer mass message.
     */
    private Sent toDesk(Step step, CustomerProfile p, Touch touch, String kind, String title, String text,
                        List<Attachment> attachments, String sentKind, Map<String, String> context, Instant now) {
        String touchId = touchId(p, context);
        Optional<TouchRecord> mine = step.pending(touchId);
        Map<String, String> details = withDetail(context, "desk_task", DeskTask.idFor(touchId));
        if (mine.isPresent()) {
            DeskTask task = desk.create(p.tenant(), deskTask(p, touch, kind, title, text, attachments, touchId,
                    mine.get().at()));
            settleDesk(step, mine.get(), task);
            return new Sent(new Performed(null, List.of(outreach.alreadySent(touch, now, sentKind, details,
                    "desk:" + task.id())), null), true);
        }
        for (int attempt = 1; ; attempt++) {
            Outreach.Asked asked = outreach.askForDesk(p, step.known, touch, now, sentKind, details);
            if (!asked.decision().allowed()) {
                return new Sent(notSent(asked), false);
            }
            TouchRecord intent = outreach.records(asked, touch, now, touchId).get(0).intent();
            if (!outreach.reserve(p.tenant(), intent)) {
                if (attempt == RESERVE_ATTEMPTS) {
                    throw new StepBusy("another touch of customer " + p.customerId() + " kept taking the slot of "
                            + touchId);
                }
                step.reread();
                continue;
            }
            DeskTask made = desk.create(p.tenant(), deskTask(p, touch, kind, title, text, attachments, touchId, now));
            // Read again just before the step commits: the staff member may have dismissed it already, and the desk
            // left this intent to the step. A dismissal after this read is settled by the desk's next sweep.
            DeskTask task = desk.task(p.tenant(), made.staffUserId(), made.id()).orElse(made);
            settleDesk(step, intent, task);
            return new Sent(new Performed(null, List.of(asked.event()), null), true);
        }
    }

    /**
     * An earlier delivery's intent, settled by the task it made: the task may have been worked since (the desk leaves
     * a SENDING intent to its step), so one dismissed or expired unsent holds no slot.
     */
    private static void settleDesk(Step step, TouchRecord intent, DeskTask task) {
        boolean gone = task.status() == DeskTask.Status.DISMISSED || task.status() == DeskTask.Status.EXPIRED;
        step.settle(intent, gone ? TouchRecord.Status.CANCELLED : TouchRecord.Status.SENT, gone ? null
                : "desk:" + task.id());
    }

    private static DeskTask deskTask(CustomerProfile p, Touch touch, String kind, String title, String text,
                                     List<Attachment> attachments, String touchId, Instant at) {
        return DeskTask.open(p.customerId(), p.externalUserId(), touch.staffUserId(), kind, title,
                text.replace("{name}", p.name() == null ? "" : p.name()), attachments, touchId, at,
                at.plus(DESK_TASK_LIFETIME));
    }

    /** A message task through the gate, at most once (see {@link #send}). */
    private Performed gated(Step step, CustomerProfile p, Touch touch, String sentKind, Map<String, String> context,
                            Instant now, MsgTemplate template) {
        Sent sent = send(step, p, touch, sentKind, context, now,
                api -> api.addMsgTemplate(template), since -> reconciler.message(template, since, now));
        return sent.performed();
    }

    /** How a touch went: the step's outcome, and whether the touch is out (sent now or by an earlier delivery). */
    private record Sent(Performed performed, boolean out) { }

    /**
     * Asks the gate and, on ALLOW, reserves the touch's slot as an intent, calls WeCom (with the step's touch
     * id) and settles the intent with WeCom's id. An intent an earlier delivery of this step left unsettled is
     * looked up in WeCom first (find): found (or unknowable, see {@link SendReconciler}), the touch counts as out
     * and nothing is sent; certainly absent, WeCom never got it and it is asked and sent again under the same
     * intent.
     */
    private Sent send(Step step, CustomerProfile p, Touch touch, String sentKind, Map<String, String> context,
                      Instant now, java.util.function.Function<WeComApi, String> call,
                      java.util.function.Function<Instant, SendReconciler.Lookup> find) {
        String touchId = touchId(p, context);
        WeComApi api = wecom.touching(touchId);
        Optional<TouchRecord> mine = step.pending(touchId);
        if (step.resolving) {
            mine.ifPresent(r -> {
                SendReconciler.Lookup found = find.apply(r.at());
                if (found.kind() == SendReconciler.Lookup.Kind.ABSENT) {
                    step.settle(r, TouchRecord.Status.CANCELLED, null);
                } else {
                    step.settle(r, TouchRecord.Status.SENT, found.outcome());
                    step.resolvedEvents.add(outreach.alreadySent(touch, now, sentKind, context, found.outcome()));
                }
            });
            return new Sent(new Performed(null, List.of(), null), false);
        }
        if (mine.isPresent()) {
            SendReconciler.Lookup found = find.apply(mine.get().at());
            if (found.kind() != SendReconciler.Lookup.Kind.ABSENT) {
                // Found, or not to be known within the lookup's budget: either way never sent again (at most once).
                step.settle(mine.get(), TouchRecord.Status.SENT, found.outcome());
                return new Sent(new Performed(null,
                        List.of(outreach.alreadySent(touch, now, sentKind, context, found.outcome())), null), true);
            }
        }
        for (int attempt = 1; ; attempt++) {
            Outreach.Asked asked = step.ask(touch, now, sentKind, context, mine);
            if (!asked.decision().allowed()) {
                mine.ifPresent(r -> step.settle(r, TouchRecord.Status.CANCELLED, null));
                return new Sent(notSent(asked), false);
            }
            List<TouchRecord> intents = outreach.records(asked, touch, now, touchId).stream()
                    .map(TouchRecord::intent).toList();
            if (mine.isPresent()) {
                // The earlier delivery's reservation stands: this one sends under it.
                List<TouchRecord> again = new ArrayList<>(intents);
                again.set(0, mine.get());
                intents = again;
            } else if (!outreach.reserve(p.tenant(), intents.get(0))) {
                if (attempt == RESERVE_ATTEMPTS) {
                    throw new StepBusy("another touch of customer " + p.customerId() + " kept taking the slot of "
                            + touchId);
                }
                // Someone else took the slot this decision saw free: decide again on what is there now.
                step.reread();
                continue;
            }
            String id = callRefusable(api, call, p, touch, now, context, intents);
            if (id == null) {
                intents.forEach(r -> step.settle(r, TouchRecord.Status.CANCELLED, null));
                Outreach.Asked refused = outreach.platformRefused(p, touch, now, context);
                return new Sent(new Performed(null, List.of(refused.event()), refused.decision().until()), false);
            }
            intents.forEach(r -> step.settle(r, TouchRecord.Status.SENT, id));
            return new Sent(new Performed(null, List.of(asked.event()), null), true);
        }
    }

    /**
     * The WeCom call; null when WeCom refused it with its monthly limit (41048). Any other refusal WeCom
     * answered (a positive errcode: the task was not created) cancels the intents before the step fails, so
     * the retry need not ask WeCom; a transport failure or a time-out leaves them for the retry to reconcile.
     */
    private String callRefusable(WeComApi api, java.util.function.Function<WeComApi, String> call, CustomerProfile p,
                                 Touch touch, Instant now, Map<String, String> context, List<TouchRecord> intents) {
        try {
            String id = call.apply(api);
            return id == null ? "" : id;
        } catch (WeComApiException e) {
            if (e.errcode() == WeComApiException.MONTHLY_SEND_CAP) {
                // Not a failure to retry: WeCom will refuse it all month. It waits for next month instead
                // of going round the queue into the DLQ.
                return null;
            }
            if (e.errcode() > 0) {
                intents.forEach(r -> outreach.record(p.tenant(), r.settled(TouchRecord.Status.CANCELLED, null)));
            }
            throw e;
        }
    }

    private static Performed notSent(Outreach.Asked asked) {
        Decision d = asked.decision();
        return new Performed(null, List.of(asked.event()), d.kind() == Decision.Kind.DEFER ? d.until() : null);
    }

    /**
     * A task for a person plus the draft they confirm. A {@code senior: true} task goes to the least loaded senior
     * advisor of the customer's pool; the draft can be theirs only if the customer is their WeCom contact
     * (add_msg_template's sender must be), else it stays with the customer's own advisor, who is told either way.
     */
    private Performed staffTask(Step step, CustomerProfile p, Action.StaffTask a, String advisor,
                                Map<String, String> context, Instant now) {
        Optional<StaffMember> senior = a.senior() ? seniors.leastLoaded(advisor, now) : Optional.empty();
        String taker = senior.map(StaffMember::userId).orElse(advisor);
        String drafter = senior.isPresent() && friendOf(p, taker) ? taker : advisor;
        Touch touch = Touch.privateMessage(p.customerId(), drafter, a.content()).asJourneyStep().asHumanStep();
        Map<String, String> details = withDetail(context, "task", a.task());
        if (senior.isPresent()) {
            details.put("senior_advisor", taker);
            details.put("drafted_by", drafter);
        }
        Sent made = toDesk(step, p, touch, DeskTask.STAFF_TASK, a.task(), a.draft(), List.of(), Outreach.TO_HUMAN,
                details, now);
        List<TimelineEvent> events = new ArrayList<>(made.performed().events());
        if (made.out()) {
            String id = touchId(p, context);
            String customer = p.name() == null ? p.externalUserId() : p.name();
            // The message waits on the drafter's desk (the sidebar) until they send it; the task tells the taker why.
            String what = drafter.equals(taker) ? ": a message is waiting on your desk in the chat sidebar."
                    : ": you are not their WeCom contact, so the message waits on the desk of their advisor "
                    + nameOf(drafter) + "; follow up with them.";
            // The notification reaches staff, and WeCom cannot be asked whether it went: at most once, under a claim
            // a redelivery after a failed commit finds.
            once(p.tenant(), new DedupKey(id + "#notify"), now, () -> wecom.touching(id + "#notify")
                    .notifyStaff(List.of(taker), (a.senior() ? "[senior advisor] " : "") + "Task " + a.task() + " for "
                            + customer + what));
            if (!taker.equals(advisor)) {
                // Their customer is being followed up by someone else: the advisor hears it from us, not the customer.
                String handed = "Your customer " + customer + " was handed to senior advisor " + nameOf(taker)
                        + " for " + a.task() + (drafter.equals(advisor)
                        ? "; the message is waiting on your desk in the chat sidebar." : ".");
                once(p.tenant(), new DedupKey(id + "#notify-advisor"), now, () -> wecom.touching(id + "#notify-advisor")
                        .notifyStaff(List.of(advisor), handed));
            }
            if (a.senior() && senior.isEmpty()) {
                List<String> pools = seniors.poolsOf(advisor);
                events.add(event(now, "senior_advisor_missing", advisor, context, Map.of("task", a.task(),
                        "reason", "no senior advisor in " + (pools.isEmpty() ? "the advisor's pools"
                                : "pool " + String.join(", ", pools)) + "; the task went to the customer's advisor")));
            }
        }
        return new Performed(null, events, made.performed().deferredUntil());
    }

    /** add_msg_template's sender must have the customer as an external contact. */
    private static boolean friendOf(CustomerProfile p, String staff) {
        StaffRelationship r = p.relationships().get(staff);
        return r != null && r.status() == StaffRelationship.Status.ACTIVE;
    }

    private String nameOf(String staff) {
        return config.staffMember(staff).map(StaffMember::name).orElse(staff);
    }

    /**
     * Makes the call under a dedup claim, at most once: the claim is given back only when WeCom certainly did not
     * act (a refusal errcode), never on an unknown outcome (-1, a time-out, a 5xx), where it may have.
     */
    private void once(String tenant, DedupKey key, Instant now, Runnable call) {
        String token = CustomerStore.newToken();
        if (!customers.claim(tenant, key, token, now, NOTIFY_DEDUP)) {
            return;
        }
        try {
            call.run();
        } catch (RuntimeException e) {
            if (WeComApiException.certainlyNotDone(e)) {
                customers.release(tenant, key, token);
            }
            throw e;
        }
    }

    private Performed groupInvite(Step step, CustomerProfile p, Action.GroupInvite a, String staff,
                                  Map<String, String> context, Instant now) {
        Optional<String> joined = p.activity().groups().entrySet().stream()
                .filter(e -> e.getValue().equals(a.groupType())).map(Map.Entry::getKey).sorted().findFirst();
        if (joined.isPresent()) {
            List<TimelineEvent> events = new ArrayList<>();
            if (step.pending(touchId(p, context)).isPresent()) {
                // The invite an earlier delivery made before the customer joined (likely through it): settled from
                // WeCom's list, never sent again; the customer is in the group it invited to.
                Step settling = step.resolving ? step : new Step(p, step.known, true);
                String chatId = joined.get();
                send(settling, p, Touch.groupInvite(p.customerId(), staff, chatId).asJourneyStep(), "group_invite_sent",
                        withDetail(context, "group", chatId), now, api -> null, since -> reconciler.message(
                                MsgTemplate.single(staff, List.of(p.externalUserId()), a.text(), null), since, now));
                if (settling != step) {
                    step.settled.addAll(settling.settled);
                    events.addAll(settling.resolvedEvents);
                }
            }
            events.add(event(now, "step_skipped", staff, context, Map.of("reason", "already in a " + a.groupType())));
            return new Performed(null, events, null);
        }
        Optional<GroupStore.Group> group = groupWithRoom(p.tenant(), a.groupType());
        if (group.isEmpty()) {
            return new Performed(null, List.of(event(now, Outreach.DROPPED, staff, context,
                    Map.of("rule", "GROUP_FULL", "reason", "no " + a.groupType() + " has room"))), null);
        }
        Touch touch = Touch.groupInvite(p.customerId(), staff, group.get().chatId()).asJourneyStep();
        return gated(step, p, touch, "group_invite_sent", withDetail(context, "group", group.get().chatId()), now,
                MsgTemplate.single(staff, List.of(p.externalUserId()), a.text(),
                        new Attachment("link", group.get().name(), group.get().inviteLink())));
    }

    private Optional<GroupStore.Group> groupWithRoom(String tenant, String groupType) {
        int max = config.groupType(groupType).map(g -> g.maxMembers()).orElse(500);
        return groups.groups(tenant).stream()
                .filter(g -> groupType.equals(g.groupType()) && "active".equals(g.status()) && g.memberCount() < max)
                // An invite carries the group's join way (add_join_way's QR code): a group without one cannot be joined.
                .filter(g -> g.inviteLink() != null)
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
                MsgTemplate.group(group.get().owner(), List.of(group.get().chatId()), text, null));
    }

    /**
     * The customer's Moments touch: the gate first, then the customer's intent, then the day's post, and only once
     * the post is out the tag that makes it visible to them. Tagging last means a post that failed, or a retry
     * the gate then refuses, leaves no tag in WeCom that the profile does not know of (and so never removes). A
     * tag call that fails after the post fails the step: the retry finds the day's post already out
     * ({@link DailyMomentsPost}) and marks the tag then.
     */
    private Performed momentsPost(Step step, CustomerProfile p, Action.MomentsPost a, String staff,
                                  Map<String, String> context, Instant now) {
        Touch touch = Touch.momentsPost(p.customerId(), staff, ContentClass.VALUE).asJourneyStep();
        // Whether the post is out is the day's record's to say (DailyMomentsPost): asking again is how to learn it.
        Sent sent = send(step, p, touch, "moments_post_visible", context, now,
                api -> dailyPost.publish(p.tenant(), a, now),
                since -> SendReconciler.Lookup.of(SendReconciler.Lookup.Kind.ABSENT));
        if (!sent.out()) {
            return sent.performed();
        }
        Performed tagged = changeTags(p, Set.of(a.visibleToTag()), Set.of(), staff, context, now);
        List<TimelineEvent> events = new ArrayList<>(tagged.events());
        events.addAll(sent.performed().events());
        return new Performed(tagged.change(), events, null, List.of());
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
        List<TimelineEvent> events = new ArrayList<>(List.of(event(now, "tags_changed", staff, context,
                Map.of("added", String.join(",", adding), "removed", String.join(",", removing)))));
        // Every tag a customer gains is a tag_added, whoever added it (docs/groups.md, Tags both ways).
        events.addAll(dev.siyu.core.tags.TagsAdded.events(ids, p.customerId(), adding, "journey", staff, now,
                "step|" + now.toEpochMilli()));
        return new Performed(c -> c.withTags(adding, removing, now), events, null);
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
                return new Attachment("image", a.title(), a.url(), a.picture());
            case LINK:
                return new Attachment("link", a.title(), a.url());
            case MINIPROGRAM:
                return new Attachment("miniprogram", a.title(), a.url(), a.picture());
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
