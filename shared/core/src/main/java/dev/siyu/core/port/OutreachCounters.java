package dev.siyu.core.port;

import dev.siyu.core.gate.CapPeriod;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.ContentMix;
import dev.siyu.core.gate.Counters;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.gate.Touch;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * What a customer already received, for the outreach gate:
 * per-period counts for the frequency caps and the content classes of the latest touches for the
 * content mix, both computed ({@link TouchLog}) from the customer's {@link TouchRecord}s. Periods are
 * {@link CapPeriod#key}s in the tenant's zone, the same zone the gate is built with, so a count never
 * lands in a period the gate does not look at.
 *
 * <p>Read before deciding, then either {@link #reserve} the slot before sending (journey steps: two
 * senders that decided on the same reading cannot both take the last free slot) or record after sending
 * (callers that serialise per customer, e.g. mass sends); records themselves are never lost (one item each).
 */
public interface OutreachCounters {

    /** The audience's records, expired ones possibly included (readers ignore them by time). */
    List<TouchRecord> touches(String tenant, String customerId);

    /**
     * The n latest records (by time), newest first: enough for a content mix of window n, not for the caps.
     * Stores that keep them in time order read just those.
     */
    default List<TouchRecord> latestTouches(String tenant, String customerId, int n) {
        return touches(tenant, customerId).stream()
                .sorted(java.util.Comparator.comparing(TouchRecord::at).thenComparing(TouchRecord::id).reversed())
                .limit(n).toList();
    }

    /**
     * The content mix of the latest mixWindow touches, reading only those: for audiences whose caps do
     * not matter (a group's pseudo-customer; its counts in the reading cover only these records).
     */
    default Reading readMix(String tenant, String customerId, Instant now, ZoneId tenantZone, int mixWindow) {
        return TouchLog.reading(latestTouches(tenant, customerId, mixWindow), now, tenantZone, mixWindow);
    }

    /** Writes one record; writing the same touch (id and time) again replaces it, so a retried touch counts once. */
    void record(String tenant, TouchRecord touch, ZoneId tenantZone);

    /**
     * Writes the intent of a touch (a {@link TouchRecord.Status#SENDING} record) only if no live record of
     * the audience holds its seq yet: of two senders that read the same records (and so the same last free cap
     * slot), one reserves and the other is refused, re-reads and asks the gate again. An expired record's seq
     * counts as free (TTL may have deleted its record already). True when written.
     */
    default boolean reserve(String tenant, TouchRecord intent, ZoneId tenantZone) {
        throw new UnsupportedOperationException(getClass().getName() + " cannot reserve a touch's seq");
    }

    /** The counts of the periods that hold now, and the mix of the latest mixWindow touches, in one read. */
    default Reading read(String tenant, String customerId, Instant now, ZoneId tenantZone, int mixWindow) {
        if (mixWindow < 1 || mixWindow > Guardrails.MAX_CONTENT_MIX_WINDOW) {
            throw new IllegalArgumentException("mixWindow " + mixWindow + " is outside 1.."
                    + Guardrails.MAX_CONTENT_MIX_WINDOW);
        }
        return TouchLog.reading(touches(tenant, customerId), now, tenantZone, mixWindow);
    }

    /** The counts of the periods that hold now. */
    default Counters read(String tenant, String customerId, Instant now, ZoneId tenantZone) {
        return read(tenant, customerId, now, tenantZone, 1).counters();
    }

    /**
     * Counts a touch that was sent: mass messages per month, Moments posts per day, journey steps per
     * ISO week (whatever the channel), and the content class into the customer's mix. Touches that do
     * not reach the customer (staff tasks) are not counted; group messages count towards the group's
     * mix, not the customer's, as the gate measures them (see {@link #countsInCustomerMix}).
     *
     * <p>Reads the records first (to carry the mix on, see {@link TouchRecord}): callers that just read
     * them pass what they read to {@link #record(String, TouchRecord, ZoneId)} instead.
     */
    default void record(String tenant, String customerId, Channel channel, ContentClass content, boolean journeyStep,
                        Instant now, ZoneId tenantZone) {
        record(tenant, customerId, now.toEpochMilli() + "-" + UUID.randomUUID(), channel, content, journeyStep, now,
                tenantZone);
    }

    /** As above, with the record's id given (the engine's {@link dev.siyu.core.time.Ids}: seeded in the simulator). */
    default void record(String tenant, String customerId, String id, Channel channel, ContentClass content,
                        boolean journeyStep, Instant now, ZoneId tenantZone) {
        if (!channel.reachesCustomer()) {
            return;
        }
        Reading before = read(tenant, customerId, now, tenantZone, Guardrails.MAX_CONTENT_MIX_WINDOW);
        record(tenant, TouchRecord.of(customerId, id, now, channel, content, journeyStep, before), tenantZone);
    }

    /** The brief's shape for callers that only bump the caps; the touch does not enter the mix. */
    default void record(String tenant, String customerId, Channel channel, boolean journeyStep, Instant now,
                        ZoneId tenantZone) {
        record(tenant, customerId, channel, null, journeyStep, now, tenantZone);
    }

    /** Records exactly the touch the gate allowed, so the caller cannot count a different one. */
    default void record(String tenant, Touch touch, Instant now, ZoneId tenantZone) {
        record(tenant, touch.customerId(), touch.channel(), touch.content(), touch.journey(), now, tenantZone);
    }

    /** The gate measures group messages against the group's window and ignores staff tasks. */
    static boolean countsInCustomerMix(Channel channel) {
        return channel.reachesCustomer() && channel != Channel.GROUP_MESSAGE;
    }

    /**
     * @param counters the current periods' counts
     * @param mix      the latest touches, at most the window asked for (at most
     *                 {@link Guardrails#MAX_CONTENT_MIX_WINDOW})
     * @param latest   the same touches as codes, oldest first, for the next record to carry on
     * @param nextSeq  the seq the next record takes ({@link TouchRecord#seq})
     */
    record Reading(Counters counters, ContentMix mix, String latest, long nextSeq) {
        public Reading {
            Objects.requireNonNull(counters, "counters");
            Objects.requireNonNull(mix, "mix");
            latest = latest == null ? "" : latest;
        }

        public Reading(Counters counters, ContentMix mix) {
            this(counters, mix, "", 1);
        }
    }
}
