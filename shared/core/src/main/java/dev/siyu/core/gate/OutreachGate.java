package dev.siyu.core.gate;

import dev.siyu.core.profile.StaffRelationship;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether one outbound touch may go out now (docs/architecture.md, Outreach gate). Pure: the caller reads the customer's
 * state, asks, writes the decision to the timeline and bumps the counters when it sends.
 *
 * <p>Rules run in a fixed order and the first that objects decides, so the reason is the one that
 * matters most:
 * <ol>
 *   <li>RELATIONSHIP, then CONSENT: the red lines. They DROP, and nothing later may turn a touch the
 *       customer refused into a mere delay (a promotion at 23:00 to a customer who withdrew consent is
 *       dropped for consent, not deferred to the morning).</li>
 *   <li>SENSITIVE_REVIEW: unapproved content is dropped, not deferred: there is no time at which it
 *       becomes sendable; the caller asks again once it is approved.</li>
 *   <li>HUMAN_TOUCHPOINT: a key 1-on-1 step becomes a staff task before caps and hours are looked at,
 *       since the gate sends nothing for it; the staff member's send is gated again when it happens.</li>
 *   <li>Caps. MASS_MESSAGE_CAP counts every add_msg_template task to the customer
 *       ({@link Channel#sentAsMessageTemplate}: mass sends, coupons, group invites) and drops: a campaign held
 *       over to next month arrives stale and eats next month's allowance; a class ranked below the first in the
 *       blueprint's priority order leaves the month's last slots to those before it
 *       ({@link Guardrails#massSlotsFor}). PLATFORM_CAP defers to the next day, week or month under the corp's
 *       WeCom rule ({@link PlatformMessageLimit}), and to the time WeCom gave after an errcode 41048.
 *       MOMENTS_CAP and JOURNEY_MESSAGE_CAP defer to the next day / ISO week: a post or a journey step
 *       keeps its value a little later, and skipping a step would break the journey.</li>
 *   <li>CONTENT_MIX: a promotion that would push the window over the share is dropped. Deferring
 *       would not help: the share only falls when value content is sent, not as time passes.</li>
 *   <li>QUIET_HOURS last: it only ever delays, so anything that drops must have had its say. Exempt
 *       touches (after-sales, replies to the customer) pass.</li>
 * </ol>
 * Every deferral lands inside business hours, so a touch deferred by a cap to Monday 00:00 is asked
 * again at Monday's opening, not in the middle of the night.
 *
 * <p>A touch deferred to an opening lands somewhere in the first {@link #OPENING_SPREAD} of it, the same
 * place for the same customer and touch ({@link BusinessHours#openAtOrAfter(Instant, ZoneId, String, Duration)}),
 * so a night's deferrals do not all come due at 09:00:00.
 *
 * <p>Caps count in the tenant's zone (where the CAP# counters are keyed); business hours are the
 * customer's, or the tenant's for group messages, whose audience has no single zone.
 */
public class OutreachGate {
    /** How far into business hours deferred touches are spread: 90 minutes of a 12-hour day. */
    public static final Duration OPENING_SPREAD = Duration.ofMinutes(90);

    private final Guardrails guardrails;
    private final ZoneId tenantZone;
    private final Duration openingSpread;

    /** A gate that defers to the exact opening: for rule tests that read 09:00 itself. */
    public OutreachGate(Guardrails guardrails, ZoneId tenantZone) {
        this(guardrails, tenantZone, Duration.ZERO);
    }

    /** @param openingSpread {@link #OPENING_SPREAD} wherever touches are really sent */
    public OutreachGate(Guardrails guardrails, ZoneId tenantZone, Duration openingSpread) {
        this.guardrails = Objects.requireNonNull(guardrails, "guardrails");
        this.tenantZone = Objects.requireNonNull(tenantZone, "tenantZone");
        this.openingSpread = Objects.requireNonNull(openingSpread, "openingSpread");
    }

    /** The opening at or after {@code at}, spread for this touch; for deferrals decided outside the gate. */
    public Instant opening(Touch touch, Instant at, ZoneId zone) {
        return guardrails.businessHours().openAtOrAfter(at, zone, spreadKey(touch), openingSpread);
    }

    private static String spreadKey(Touch touch) {
        return touch.customerId() + "|" + touch.channel() + "|" + touch.staffUserId() + "|" + touch.groupId();
    }

    public Decision decide(CustomerState state, Touch touch, Instant now) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(touch, "touch");
        Objects.requireNonNull(now, "now");
        if (!state.customerId().equals(touch.customerId())) {
            throw new IllegalArgumentException("state is for customer " + state.customerId() + ", the touch for "
                    + touch.customerId());
        }
        ZoneId hoursZone = touch.channel() == Channel.GROUP_MESSAGE ? tenantZone : state.knownZone().orElse(tenantZone);
        return relationship(state, touch)
                .or(() -> consent(state, touch))
                .or(() -> review(touch))
                .or(() -> humanTouchpoint(touch))
                .or(() -> caps(state, touch, now, hoursZone))
                .or(() -> contentMix(state, touch))
                .orElseGet(() -> quietHours(touch, now, hoursZone));
    }

    /**
     * The decision for a 1-on-1 touch that becomes a staff desk task (the staff member sends it from the sidebar):
     * the red lines, review, the caps (the weekly journey cap counts it) and the content mix, but neither the
     * human-touchpoint rule (the task is the human) nor quiet hours (a task waits on the desk; the staff member
     * sends it in their own hours).
     */
    public Decision decideForDesk(CustomerState state, Touch touch, Instant now) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(touch, "touch");
        if (!state.customerId().equals(touch.customerId())) {
            throw new IllegalArgumentException("state is for customer " + state.customerId() + ", the touch for "
                    + touch.customerId());
        }
        ZoneId hoursZone = state.knownZone().orElse(tenantZone);
        return relationship(state, touch)
                .or(() -> consent(state, touch))
                .or(() -> review(touch))
                .or(() -> caps(state, touch, now, hoursZone))
                .or(() -> contentMix(state, touch))
                .orElseGet(() -> Decision.allow("a staff desk task: " + touch.staffUserId() + " sends it from the"
                        + " sidebar in their own hours, and no rule objects"));
    }

    /**
     * Only the red lines (relationship, consent): for a touch a person makes by hand from a task the gate already
     * passed, checked again at the moment they make it (the staff desk's "sent").
     */
    public Optional<Decision> redLines(CustomerState state, Touch touch) {
        return relationship(state, touch).or(() -> consent(state, touch));
    }

    private Optional<Decision> relationship(CustomerState state, Touch touch) {
        if (touch.channel() == Channel.SUBSCRIPTION_MESSAGE) {
            // The member's own live subscription is the relationship: they asked WeChat for this message, and a
            // Mini Program member may be nobody's WeCom contact.
            return Optional.empty();
        }
        String staff = touch.staffUserId();
        if (staff != null) {
            StaffRelationship r = state.relationships().get(staff);
            if (r == null) {
                return drop(Rule.RELATIONSHIP, "the customer is not a contact of " + staff
                        + "; a touch cannot go through a friendship that does not exist");
            }
            if (r.suppressed()) {
                String by = r.endedBy() == null ? "" : (r.endedBy() == StaffRelationship.EndedBy.CUSTOMER
                        ? " (the customer deleted " + staff + ")" : " (" + staff + " deleted the customer)");
                return drop(Rule.RELATIONSHIP, "the friendship with " + staff + " ended"
                        + (r.endedAt() == null ? "" : " at " + r.endedAt()) + by
                        + "; the customer is never contacted through it again");
            }
            if (r.status() == StaffRelationship.Status.PENDING) {
                return drop(Rule.RELATIONSHIP, "the customer has not accepted " + staff + " as a contact yet");
            }
        }
        String group = touch.groupId();
        if (group != null && state.leftGroups().contains(group)) {
            return drop(Rule.RELATIONSHIP, "the customer left group " + group
                    + "; they are never contacted through it again");
        }
        if (staff == null && group == null && state.relationships().values().stream()
                .noneMatch(r -> r.status() == StaffRelationship.Status.ACTIVE)) {
            return drop(Rule.RELATIONSHIP, "the customer has no active contact with any staff member");
        }
        return Optional.empty();
    }

    private Optional<Decision> consent(CustomerState state, Touch touch) {
        // A withdrawal means "stop": after it no proactive touch reaches the customer, value content
        // included. Only a customer who never decided may still get value content without consent.
        if (state.consent().withdrawn() && touch.channel().reachesCustomer() && touch.exemption() == null) {
            return drop(Rule.CONSENT, "the customer withdrew consent at " + state.consent().withdrawnAt()
                    + "; a withdrawal is honoured at once and stops every proactive touch");
        }
        if (!touch.needsConsent() || state.consent().granted()) {
            return Optional.empty();
        }
        String what = what(touch) + " needs marketing consent (PIPL)";
        if (state.consent().withdrawn()) {
            return drop(Rule.CONSENT, "the customer withdrew marketing consent at " + state.consent().withdrawnAt()
                    + "; " + what + " and a withdrawal is honoured at once");
        }
        return drop(Rule.CONSENT, "the customer never granted marketing consent; " + what);
    }

    private static String what(Touch touch) {
        if (touch.content() == ContentClass.PROMOTIONAL) {
            return "promotional content";
        }
        if (touch.channel() == Channel.MASS_MESSAGE) {
            return "a mass message";
        }
        if (touch.channel() == Channel.GROUP_INVITE) {
            return "a group invite";
        }
        return "a marketing touch";
    }

    private Optional<Decision> review(Touch touch) {
        boolean needsReview = touch.sensitive() || (guardrails.sensitiveIndustry() && touch.channel().reachesCustomer());
        if (!needsReview || touch.approved()) {
            return Optional.empty();
        }
        String why = touch.sensitive() ? "the content is flagged for compliance review"
                : "the tenant is in a sensitive industry, so all content needs compliance review";
        return drop(Rule.SENSITIVE_REVIEW, why + " and is not approved; ask again once it is approved");
    }

    private static Optional<Decision> humanTouchpoint(Touch touch) {
        if (!touch.needsHuman() || touch.channel() == Channel.STAFF_TASK) {
            return Optional.empty();
        }
        return Optional.of(Decision.convertToHuman("a key 1-on-1 step must not be an automated script: make it a task"
                + " or an add_msg_template draft for " + touch.staffUserId() + " to confirm and send"));
    }

    private Optional<Decision> caps(CustomerState state, Touch touch, Instant now, ZoneId hoursZone) {
        if (!touch.channel().reachesCustomer()) {
            return Optional.empty();
        }
        Counters counters = state.counters();
        if (touch.channel().sentAsMessageTemplate()) {
            int cap = guardrails.massMessagesPerMonth();
            MessagePriority priority = touch.priority();
            int slots = guardrails.massSlotsFor(priority);
            int used = counters.massMessagesThisMonth();
            if (used >= slots) {
                String kept = slots < cap ? "; the last " + (cap - slots) + " are kept for "
                        + guardrails.massMessagePriority().subList(0, guardrails.massMessagePriority().indexOf(priority))
                        .stream().map(MessagePriority::yamlName).toList() + " (mass_message_priority)" : "";
                return drop(Rule.MASS_MESSAGE_CAP, "the customer already received " + used + " of " + cap
                        + " customer mass messages (add_msg_template) in " + CapPeriod.MONTH.key(now, tenantZone)
                        + kept + "; this " + priority.yamlName() + " message is dropped rather than held to next"
                        + " month, where it would arrive stale and use next month's allowance");
            }
            PlatformMessageLimit platform = guardrails.platformLimit();
            int allowed = platform.allowed(now, tenantZone);
            if (platform.used(counters) >= allowed) {
                return defer(touch, platform.period().nextStart(now, tenantZone), hoursZone, Rule.PLATFORM_CAP,
                        "the corp's WeCom rule (" + platform.yamlName() + ") allows " + allowed
                                + " customer mass messages per " + platform.period().name().toLowerCase()
                                + " and the customer has had them; WeCom would refuse another (41048)");
            }
            Instant refused = state.platformCapUntil();
            if (refused != null && refused.isAfter(now)) {
                return defer(touch, refused, hoursZone, Rule.PLATFORM_CAP, "WeCom refused the customer's last mass message"
                        + " (errcode 41048, platform limit) until " + refused);
            }
        }
        if (touch.channel() == Channel.MOMENTS_POST && counters.momentsPostsToday() >= guardrails.momentsPostsPerDay()) {
            return defer(touch, CapPeriod.DAY.nextStart(now, tenantZone), hoursZone, Rule.MOMENTS_CAP,
                    counters.momentsPostsToday() + " of " + guardrails.momentsPostsPerDay() + " Moments posts on "
                            + CapPeriod.DAY.key(now, tenantZone) + "; deferred to tomorrow");
        }
        if (touch.journey() && counters.journeyMessagesThisWeek() >= guardrails.journeyMessagesPerWeek()) {
            return defer(touch, CapPeriod.WEEK.nextStart(now, tenantZone), hoursZone, Rule.JOURNEY_MESSAGE_CAP,
                    counters.journeyMessagesThisWeek() + " of " + guardrails.journeyMessagesPerWeek()
                            + " journey messages in " + CapPeriod.WEEK.key(now, tenantZone)
                            + "; deferred to next week so the journey keeps its step");
        }
        return Optional.empty();
    }

    private Optional<Decision> contentMix(CustomerState state, Touch touch) {
        if (touch.content() != ContentClass.PROMOTIONAL || !touch.channel().reachesCustomer()) {
            return Optional.empty();
        }
        boolean group = touch.channel() == Channel.GROUP_MESSAGE;
        ContentMix mix = group ? state.groupMix(touch.groupId()) : state.mix();
        int allowed = guardrails.promotionalPerWindow();
        if (mix.promotional() + 1 <= allowed) {
            return Optional.empty();
        }
        return drop(Rule.CONTENT_MIX, "this would make " + (mix.promotional() + 1) + " of the latest "
                + guardrails.contentMixWindow() + " touches " + (group ? "in group " + touch.groupId() : "to the customer")
                + " promotional (at most " + allowed + ", " + Math.round(guardrails.promotionalShareMax() * 100)
                + "%); send value content first");
    }

    private Decision quietHours(Touch touch, Instant now, ZoneId zone) {
        if (!touch.channel().reachesCustomer()) {
            return Decision.allow("a staff task reaches the staff member, not the customer; their send is gated"
                    + " when it happens");
        }
        BusinessHours hours = guardrails.businessHours();
        if (hours.isOpen(now, zone)) {
            return Decision.allow("within business hours " + hours + " " + zone + " and no rule objects");
        }
        if (touch.exemption() != null) {
            return Decision.allow(local(now, zone) + " is outside business hours " + hours + ", but "
                    + touch.exemption() + " is exempt");
        }
        Instant opening = opening(touch, now, zone);
        return Decision.defer(opening, Rule.QUIET_HOURS, local(now, zone) + " is outside business hours " + hours
                + "; deferred to the next opening, " + local(opening, zone));
    }

    /**
     * A cap's deferral, moved into business hours unless the touch is exempt from them; the cap stays
     * the reason, since it is what held the touch back.
     */
    private Optional<Decision> defer(Touch touch, Instant until, ZoneId zone, Rule rule, String reason) {
        Instant open = touch.exemption() != null ? until : opening(touch, until, zone);
        return Optional.of(Decision.defer(open, rule, reason + " (" + local(open, zone) + ")"));
    }

    private static Optional<Decision> drop(Rule rule, String reason) {
        return Optional.of(Decision.drop(rule, reason));
    }

    private static String local(Instant at, ZoneId zone) {
        return at.atZone(zone).toLocalDateTime().truncatedTo(ChronoUnit.MINUTES) + " " + zone;
    }
}
