package dev.siyu.core.schedule;

import dev.siyu.core.callback.Repairs;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.outreach.MassSend;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.port.StaffLoadStore;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.TenantLog.Repair;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.ProfileMerge;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.time.Ids;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code reconcile} job: makes again the side effects that failed and were recorded as the tenant's
 * repairs (TenantLog.Repair), reading those alone (one Query of one small partition), never the customers.
 * <ul>
 *   <li>{@code contact_detail}: WeCom's contact detail failed, so the unionid is unknown. Fetched again; a unionid
 *       the WeCom-first customer can claim is recorded on them; one a Mini Program member already holds
 *       means they are one customer, and the WeCom contact is merged into the member as every merge is
 *       ({@link ProfileMerge}: the external_userid alias points at the member from then on, the timeline,
 *       relationships and tags move over, and the member gets the contact_added trigger of each relationship).</li>
 *   <li>{@code tags}: the channel's tags that failed to mark in WeCom are marked again (idempotent there).</li>
 *   <li>{@code pool_removal}: a pool's active count decremented once, keyed by the delete callback, so a
 *       count that failed (or whose instance died) is made exactly once.</li>
 *   <li>{@code trigger}: a journey trigger whose callback wrote its add or delete and then never handed the
 *       trigger to the queue (the send failed and WeCom gave up retrying, or the instance died): sent once the
 *       write is found on the profile, with the callback's own time (so the run it starts is the run the callback
 *       would have started; a second copy starts nothing). A note whose write never landed is dropped. Notes
 *       younger than {@link #IN_FLIGHT} are left for the callback still working on them.</li>
 * </ul>
 * A repair that fails stays, counted; after {@link #MAX_ATTEMPTS} it is given up and logged.
 */
public final class Reconciler {
    static final int MAX_ATTEMPTS = 3;
    /** A campaign left unsettled is finished over business hours: about three days of hourly runs, then given up. */
    static final int MASS_SEND_ATTEMPTS = 36;
    /** Per run: the rest waits for the next hour. */
    static final int BATCH = 200;
    /** Longer than a callback attempt lives (its 6 s timeout, and WeCom's retries 15 s after the first). */
    static final java.time.Duration IN_FLIGHT = java.time.Duration.ofMinutes(2);
    /**
     * A mass send's note is written again by each run of the campaign: its retries (the scheduler's, minutes
     * apart; a run lasts at most the function's 300 s) are over this long after the last one, and a finish that
     * overlapped a run could look up the same intents and resend them twice.
     */
    static final java.time.Duration CAMPAIGN_QUIET = java.time.Duration.ofMinutes(30);
    private static final System.Logger LOG = System.getLogger(Reconciler.class.getName());

    private final ScrmConfig config;
    private final TenantLog log;
    private final CustomerStore customers;
    private final StaffLoadStore loads;
    private final WeComApi wecom;
    private final JourneyQueue journeys;
    private final java.util.function.Supplier<MassSend> massSend;
    private final java.util.function.Supplier<CommunityCare> communityCare;
    private final CorpTags corpTags;
    private final Ids ids;
    private final ProfileMerge merge;

    /**
     * @param massSend      built when a campaign is left to finish (it needs the journeys' gate)
     * @param communityCare built when a VIP invite's note is left to settle
     */
    public Reconciler(ScrmConfig config, TenantLog log, CustomerStore customers, StaffLoadStore loads, WeComApi wecom,
                      JourneyQueue journeys, java.util.function.Supplier<MassSend> massSend,
                      java.util.function.Supplier<CommunityCare> communityCare, CorpTags corpTags, Ids ids) {
        this.communityCare = communityCare;
        this.config = config;
        this.log = log;
        this.customers = customers;
        this.loads = loads;
        this.wecom = wecom;
        this.journeys = journeys;
        this.massSend = massSend;
        this.corpTags = corpTags;
        this.ids = ids;
        this.merge = new ProfileMerge(customers, log, journeys);
    }

    /**
     * @param pending  repairs read this run
     * @param repaired made, and removed
     * @param merged   contacts merged into the Mini Program customer holding their unionid
     * @param failed   failed again, kept
     * @param givenUp  failed MAX_ATTEMPTS times, removed and logged
     */
    public record Summary(int pending, int repaired, int merged, int failed, int givenUp) { }

    private enum Result { REPAIRED, MERGED, FAILED, WAITING }

    public Summary run(Instant now) {
        String tenant = config.tenant();
        List<Repair> pending = log.repairs(tenant, BATCH);
        int repaired = 0;
        int merged = 0;
        int failed = 0;
        int givenUp = 0;
        for (Repair r : pending) {
            Result result;
            try {
                result = repair(r, now);
            } catch (WeComApiException e) {
                LOG.log(Level.WARNING, JsonLog.line("repair failed", "tenant", tenant, "kind", r.kind(), "key",
                        r.key(), "errcode", e.errcode()));
                result = Result.FAILED;
            } catch (RuntimeException e) {
                // A table or queue failure, or a note that cannot be read: this repair waits for the next run (or is
                // given up), the ones behind it are still made.
                LOG.log(Level.WARNING, JsonLog.line("repair failed", "tenant", tenant, "kind", r.kind(), "key",
                        r.key(), "error", e.toString()));
                result = Result.FAILED;
            }
            if (result == Result.WAITING) {
                continue;
            }
            if (result == Result.FAILED) {
                if (r.attempts() + 1 >= (Repairs.MASS_SEND.equals(r.kind()) ? MASS_SEND_ATTEMPTS : MAX_ATTEMPTS)) {
                    log.append(tenant, "REPAIRS", new TimelineEvent(ids.next("ev", now), now, "repair_given_up", null,
                            withKey(r)));
                    log.repaired(tenant, r);
                    givenUp++;
                } else {
                    log.repairFailed(tenant, r);
                    failed++;
                }
                continue;
            }
            log.repaired(tenant, r);
            if (result == Result.MERGED) {
                merged++;
            } else {
                repaired++;
            }
        }
        return new Summary(pending.size(), repaired, merged, failed, givenUp);
    }

    /**
     * A merge that died after its mark: the profile part is finished here (found done when the survivor lists the
     * absorbed customer); a member merge waits for the member's next request, which moves its points as well.
     */
    private Result finishMerge(Repair r, Instant now) {
        String absorbed = r.details().get("absorbed");
        String survivor = r.details().get("survivor");
        boolean complete = customers.profile(config.tenant(), survivor)
                .map(s -> ProfileMerge.mergedFrom(s).contains(absorbed)).orElse(true);
        if (complete) {
            return Result.REPAIRED;
        }
        if (!"nothing".equals(r.details().get("carried"))) {
            return Result.WAITING;
        }
        merge.merge(config.tenant(), absorbed, survivor, Map.of("by", r.details().getOrDefault("by", ""),
                "finished_by", "reconcile"), ProfileMerge.Carried.NOTHING, now);
        return Result.MERGED;
    }

    private Result repair(Repair r, Instant now) {
        switch (r.kind()) {
            case Repairs.POOL_REMOVAL:
                loads.recordRemoval(config.tenant(), r.details().get("pool"), r.details().get("staff"), r.key());
                return Result.REPAIRED;
            case Repairs.TAGS:
                List<String> tags = Arrays.stream(r.details().getOrDefault("tags", "").split(","))
                        .filter(t -> !t.isBlank()).toList();
                if (!tags.isEmpty()) {
                    wecom.markTag(r.details().get("staff"), r.details().get("external_userid"), corpTags.ensure(tags),
                            List.of());
                }
                customers.append(config.tenant(), r.details().get("customer_id"), List.of(new TimelineEvent(
                        ids.next("ev", now), now, "tags_marked_in_wecom", r.details().get("staff"),
                        Map.of("tags", String.join(",", tags), "source", "reconcile"))));
                return Result.REPAIRED;
            case Repairs.CONTACT_DETAIL:
                return contact(r, now);
            case Repairs.TRIGGER:
                return handOff(r, now);
            case Repairs.MASS_SEND:
                return finishMassSend(r, now);
            case Repairs.MERGE:
                return finishMerge(r, now);
            case Repairs.VIP_INVITE:
                // The community job settles its notes too (CommunityCare.settleNoted); this is the hour's chance.
                return communityCare.get().settleNote(r, now) ? Result.REPAIRED : Result.WAITING;
            default:
                LOG.log(Level.WARNING, JsonLog.line("unknown repair kind", "kind", r.kind(), "key", r.key()));
                return Result.FAILED;
        }
    }

    private Result handOff(Repair r, Instant now) {
        if (r.at() != null && r.at().plus(IN_FLIGHT).isAfter(now)) {
            return Result.WAITING;
        }
        Map<String, String> d = new LinkedHashMap<>(r.details());
        String customerId = d.remove(Repairs.TRIGGER_CUSTOMER);
        String kind = d.remove(Repairs.TRIGGER_KIND);
        Instant at = Instant.parse(d.remove(Repairs.TRIGGER_AT));
        Instant eventTime = Instant.parse(d.remove(Repairs.TRIGGER_EVENT_TIME));
        String pool = d.remove(Repairs.TRIGGER_POOL);
        String day = d.remove(Repairs.TRIGGER_DAY);
        String operation = d.remove(Repairs.TRIGGER_OPERATION);
        Optional<CustomerProfile> profile = customers.profile(config.tenant(), customerId);
        boolean written = profile.map(p -> written(p, kind, d.get("staff"), eventTime)).orElse(false);
        if (!written) {
            LOG.log(Level.INFO, JsonLog.line("trigger dropped: its callback's write never landed", "tenant",
                    config.tenant(), "key", r.key()));
            return Result.REPAIRED;
        }
        if (pool != null && operation != null) {
            // Once per callback, like the callback's own count: made again here it changes nothing.
            if (day != null) {
                loads.recordAdd(config.tenant(), pool, d.get("staff"), java.time.LocalDate.parse(day), operation);
            } else {
                loads.recordRemoval(config.tenant(), pool, d.get("staff"), operation);
            }
        }
        journeys.enqueue(new JourneyQueue.JourneyTrigger(config.tenant(), customerId, kind, at, d));
        return Result.REPAIRED;
    }

    /**
     * Only inside business hours (a resend goes out at once), and only once the campaign's own retries are over;
     * a run that still leaves customers unsettled keeps the note for the next hour and counts an attempt (each run
     * settles what it can; {@link #MASS_SEND_ATTEMPTS} of them, and the campaign is given up and logged).
     */
    private Result finishMassSend(Repair r, Instant now) {
        if (r.at() != null && r.at().plus(CAMPAIGN_QUIET).isAfter(now)
                || !config.guardrails().businessHours().isOpen(now.atZone(config.timezone()).toLocalTime())) {
            return Result.WAITING;
        }
        // Under the campaign's lease, as its runs are: a late run and this finish never resend the same intents.
        String token = CustomerStore.newToken();
        if (customers.claimLease(config.tenant(), MassSend.lease(r.key()), token, now, now.plus(MassSend.LEASE))
                != CustomerStore.Claim.WON) {
            return Result.WAITING;
        }
        MassSend.Result done;
        try {
            done = massSend.get().finish(config.tenant(), r.key(), r.details().get(MassSend.NOTE_TEXT),
                    ContentClass.valueOf(r.details().get(MassSend.NOTE_CONTENT)), now);
        } finally {
            customers.release(config.tenant(), MassSend.lease(r.key()), token);
        }
        return done.left() == 0 ? Result.REPAIRED : Result.FAILED;
    }

    /** Whether the profile shows the write the trigger follows: the add's start, the delete's end. */
    private static boolean written(CustomerProfile p, String kind, String staff, Instant eventTime) {
        StaffRelationship r = staff == null ? null : p.relationships().get(staff);
        return switch (kind) {
            case "contact_added" -> r != null && (r.since() == null || eventTime.equals(r.since()));
            case "relationship_ended" -> r != null && eventTime.equals(r.endedAt());
            default -> true;
        };
    }

    private Result contact(Repair r, Instant now) {
        String tenant = config.tenant();
        String externalUserId = r.key();
        String customerId = r.details().get("customer_id");
        WeComApi.ContactDetail detail = wecom.contact(externalUserId);
        String unionId = detail == null ? null : detail.unionId();
        if (unionId == null || unionId.isEmpty()) {
            // WeCom answered, naming no unionid: nothing to merge by; the name and avatar are what was missing.
            customers.update(tenant, customerId, p -> detail == null || detail.name() == null
                            || detail.name().equals(p.name()) ? null : p.withContact(detail.name(), detail.avatar(), now),
                    List.of(new TimelineEvent(ids.next("ev", now), now, "contact_detail_repaired", null,
                            Map.of("unionid", "none", "source", "reconcile"))));
            return Result.REPAIRED;
        }
        String owner = customers.claimIdentity(tenant, IdentityType.UNIONID, unionId, customerId);
        if (owner.equals(customerId)) {
            customers.update(tenant, customerId, p -> unionId.equals(p.identities().get(IdentityType.UNIONID.key()))
                            ? null : p.withIdentity(IdentityType.UNIONID, unionId, now).withContact(detail.name(),
                            detail.avatar(), now),
                    List.of(new TimelineEvent(ids.next("ev", now), now, "contact_detail_repaired", null,
                            Map.of("unionid", "recorded", "source", "reconcile"))));
            return Result.REPAIRED;
        }
        return merge(customerId, owner, externalUserId, unionId, detail, now);
    }

    /**
     * The WeCom-first customer is the Mini Program member who holds the unionid: the external_userid alias
     * points at the member, and the WeCom-first profile is merged into the member ({@link ProfileMerge}), which
     * hands the member the contact_added trigger of each relationship it gained.
     */
    private Result merge(String wecomFirst, String member, String externalUserId, String unionId,
                         WeComApi.ContactDetail detail, Instant now) {
        String tenant = config.tenant();
        String aliasOwner = customers.claimIdentity(tenant, IdentityType.EXTERNAL_USERID, externalUserId, member);
        if (!aliasOwner.equals(member)) {
            LOG.log(Level.WARNING, JsonLog.line("merge refused: external_userid belongs to a third customer",
                    "tenant", tenant, "external_userid", externalUserId, "owner", aliasOwner, "member", member));
            return Result.FAILED;
        }
        merge.absorb(tenant, wecomFirst, member, externalUserId, unionId, detail.name(), detail.avatar(), now);
        return Result.MERGED;
    }

    private static Map<String, String> withKey(Repair r) {
        Map<String, String> d = new LinkedHashMap<>(r.details());
        d.put("kind", r.kind());
        d.put("key", r.key());
        d.put("attempts", Integer.toString(r.attempts() + 1));
        return d;
    }
}
