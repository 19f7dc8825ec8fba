package dev.siyu.core.desk;

import dev.siyu.core.port.WeComApi;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * One 1-on-1 touch waiting on a staff member's desk: the customer's advisor sends it themselves from the WeCom
 * sidebar as their own chat message, so it is not a customer mass message (add_msg_template) and spends none of
 * the customer's monthly mass-message budget.
 *
 * @param id             stable for its touch ({@link #idFor}), so a redelivered step finds the task it made
 * @param kind           {@code message} (a journey message step) or {@code staff_task} (a journey staff task)
 * @param title          what the staff member reads in the list (the task name, or the message's title)
 * @param text           the prepared message the staff member sends (or edits and sends)
 * @param attachments    what goes with it (image, link, Mini Program card), possibly empty
 * @param touchId        the journey step's touch id ({@code <journey>#<customer>#<run>#<step>})
 * @param expiresAt      after it the task is EXPIRED and can no longer be marked sent; the journey went on already
 * @param closedAt       when it left OPEN; null while OPEN
 * @param claimedUntil   while OPEN, a staff member's claim to send it now (checked, then sent from their chat): it
 *                       may be marked sent until then even past its expiry, and does not expire before; null unclaimed
 */
public record DeskTask(String id, String customerId, String externalUserId, String staffUserId, String kind,
                       String title, String text, List<WeComApi.Attachment> attachments, String touchId,
                       Instant createdAt, Instant expiresAt, Status status, Instant closedAt,
                       Instant claimedUntil) {
    public static final String MESSAGE = "message";
    public static final String STAFF_TASK = "staff_task";

    public enum Status { OPEN, SENT, DISMISSED, EXPIRED }

    public DeskTask {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(staffUserId, "staffUserId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(touchId, "touchId");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(status, "status");
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        if (!kind.equals(MESSAGE) && !kind.equals(STAFF_TASK)) {
            throw new IllegalArgumentException("kind " + kind + " is neither " + MESSAGE + " nor " + STAFF_TASK);
        }
        if ((status == Status.OPEN) != (closedAt == null)) {
            throw new IllegalArgumentException(status + (closedAt == null ? " needs closedAt" : " has no closedAt"));
        }
    }

    /** A new OPEN task for a touch. */
    public static DeskTask open(String customerId, String externalUserId, String staffUserId, String kind, String title,
                                String text, List<WeComApi.Attachment> attachments, String touchId, Instant createdAt,
                                Instant expiresAt) {
        return new DeskTask(idFor(touchId), customerId, externalUserId, staffUserId, kind, title, text, attachments,
                touchId, createdAt, expiresAt, Status.OPEN, null, null);
    }

    /**
     * The task id of a touch: the same touch always names the same task (a retried step writes it again and
     * finds it), and unlike the touch id it is safe in a URL path (no '#').
     */
    public static String idFor(String touchId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(touchId.getBytes(StandardCharsets.UTF_8));
            return "dt_" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** The task closed now as sent, dismissed or expired. */
    public DeskTask closed(Status to, Instant at) {
        if (to == Status.OPEN) {
            throw new IllegalArgumentException("a task is closed as SENT, DISMISSED or EXPIRED");
        }
        return new DeskTask(id, customerId, externalUserId, staffUserId, kind, title, text, attachments, touchId,
                createdAt, expiresAt, to, Objects.requireNonNull(at, "at"), claimedUntil);
    }

    /** The task claimed for a send until {@code until}. */
    public DeskTask claimed(Instant until) {
        if (status != Status.OPEN) {
            throw new IllegalStateException("only an OPEN task is claimed");
        }
        return new DeskTask(id, customerId, externalUserId, staffUserId, kind, title, text, attachments, touchId,
                createdAt, expiresAt, status, null, Objects.requireNonNull(until, "until"));
    }

    /** When it expires: its expiry, or the end of a claim made before it that outlasts it. */
    public Instant deadline() {
        return claimedUntil != null && claimedUntil.isAfter(expiresAt) ? claimedUntil : expiresAt;
    }

    /** Still to be worked at now: OPEN and not past its expiry (the sweep may not have closed it yet). */
    public boolean openAt(Instant now) {
        return status == Status.OPEN && now.isBefore(expiresAt);
    }
}
