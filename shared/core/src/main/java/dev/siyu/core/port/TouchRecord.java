package dev.siyu.core.port;

import dev.siyu.core.gate.CapPeriod;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.ContentClass;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/**
 * One touch that reached a customer (or a group's pseudo-customer), as {@link OutreachCounters} keeps it:
 * one small item per touch, keyed by {@code id}, so writing it again (a redelivered step) changes nothing.
 * The frequency caps are counts of these records in the current period, the content mix their latest
 * content classes.
 *
 * <p>Records expire {@link #KEPT_AFTER_MONTH} after the calendar month (or the ISO week, when it runs into
 * the next month) they fall in ends, so nothing expires while a cap still counts it. The content mix is "the latest N
 * touches", not bounded in time, so each record also carries {@code before}: the content codes of the
 * latest touches before it, as its writer read them. Its {@code seq} is one more than the highest its writer
 * saw, so the writer of the record with the lowest seq still kept saw none of the others: its
 * {@code before} is exactly the history of the records gone. A customer loses that history only when not
 * touched for more than a month.
 *
 * @param customerId  the audience: a customer id or {@code group:<chatId>}
 * @param id          what makes the touch unique, e.g. {@code <journey>#<run>#<step>}
 * @param content     null when the touch does not enter the mix
 * @param seq         the highest seq its writer read, plus one; equal for touches recorded side by side
 * @param before      codes ({@link #VALUE_CODE}/{@link #PROMOTIONAL_CODE}) of the latest touches before it,
 *                    oldest first; at most the mix window the writer read
 * @param status      {@link Status#SENDING} while it is the intent written before the WeCom call, SENT once
 *                    the call's outcome is known, CANCELLED when the touch did not go out after all
 * @param outcome     what WeCom answered (msgid, jobid), when known
 */
public record TouchRecord(String customerId, String id, Instant at, Channel channel, ContentClass content,
                          boolean journeyStep, long seq, String before, Status status, String outcome) {
    /**
     * A SENDING record is the durable intent of a send whose outcome is unknown: it holds its cap slot (it may
     * have gone out) until a later delivery learns from WeCom whether it did (see
     * {@code dev.siyu.core.outreach.SendReconciler}). A CANCELLED one holds nothing, only its seq.
     */
    public enum Status { SENDING, SENT, CANCELLED }

    public static final char VALUE_CODE = 'V';
    public static final char PROMOTIONAL_CODE = 'P';
    public static final Duration KEPT_AFTER_MONTH = Duration.ofDays(2);

    public TouchRecord {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(channel, "channel");
        before = before == null ? "" : before;
        status = status == null ? Status.SENT : status;
    }

    /** A record of a touch that went out (status SENT, outcome unknown or not kept). */
    public TouchRecord(String customerId, String id, Instant at, Channel channel, ContentClass content,
                       boolean journeyStep, long seq, String before) {
        this(customerId, id, at, channel, content, journeyStep, seq, before, Status.SENT, null);
    }

    /** The same record settled: sent (with WeCom's id for it) or cancelled. */
    public TouchRecord settled(Status how, String outcome) {
        return new TouchRecord(customerId, id, at, channel, content, journeyStep, seq, before, how, outcome);
    }

    /** The intent of this touch, written before the WeCom call. */
    public TouchRecord intent() {
        return settled(Status.SENDING, null);
    }

    /** True while it counts against the caps and the mix: sent, or possibly sent. */
    public boolean holdsSlot() {
        return status != Status.CANCELLED;
    }

    /** The record of a touch that went out, continuing what was read before it. */
    public static TouchRecord of(String customerId, String id, Instant at, Channel channel, ContentClass content,
                                 boolean journeyStep, OutreachCounters.Reading read) {
        return new TouchRecord(customerId, id, at, channel, content, journeyStep, read == null ? 1 : read.nextSeq(),
                read == null ? "" : read.latest());
    }

    /** True when it enters the audience's content mix. */
    public boolean inMix() {
        return holdsSlot() && content != null && OutreachCounters.countsInCustomerMix(channel);
    }

    /** When the record may go: after its calendar month and its ISO week (in the tenant's zone), and a margin. */
    public Instant expiresAt(ZoneId zone) {
        Instant month = CapPeriod.MONTH.nextStart(at, zone);
        Instant week = CapPeriod.WEEK.nextStart(at, zone);
        return (week.isAfter(month) ? week : month).plus(KEPT_AFTER_MONTH);
    }

    public static char code(ContentClass content) {
        return content == ContentClass.PROMOTIONAL ? PROMOTIONAL_CODE : VALUE_CODE;
    }
}
