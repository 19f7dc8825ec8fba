package dev.siyu.stack.wecom;

import static dev.siyu.stack.wecom.StubReplies.INVALID_PARAMETER;
import static dev.siyu.stack.wecom.StubReplies.error;
import static dev.siyu.stack.wecom.StubReplies.ok;
import static dev.siyu.stack.wecom.StubReplies.strings;
import static dev.siyu.stack.wecom.StubReplies.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Customer transfers as WeCom runs them: customers of departed staff wait in
 * {@code get_unassigned_list}; {@code transfer_customer} (on the job) and
 * {@code resigned/transfer_customer} (departed) put a customer into a 24-hour wait (status 2), after
 * which the takeover member has them (status 1) unless the customer refused (status 3). WeCom's
 * limit is enforced: a customer of an on-the-job member is transferred at most twice in 90 days,
 * the third attempt gets errcode {@link #TRANSFERRED_TOO_OFTEN}. Time is whatever the stub's clock
 * says, so a simulator on a virtual clock sees takeovers after a virtual day.
 *
 * <p>Not thread-safe: {@link StubState} calls it under its lock.
 */
final class StubTransfers {

    /** "客户转接过于频繁（90天内只允许转接一次，同一个客户最多只能转接两次）" */
    static final int TRANSFERRED_TOO_OFTEN = 40128;
    /** "当前客户正在转接中" */
    static final int ALREADY_IN_TRANSFER = 40129;
    /** "原跟进人与接手人一样，不可继承" */
    static final int SAME_HANDOVER_AND_TAKEOVER = 40130;
    /** "该成员尚未离职": resigned/transfer_customer for someone with no unassigned customers. */
    static final int NOT_RESIGNED = 40097;
    /** "不存在外部联系人的关系" */
    static final int NO_RELATIONSHIP = 84061;

    static final int STATUS_TAKEN_OVER = 1;
    static final int STATUS_WAITING = 2;
    static final int STATUS_REFUSED = 3;

    static final Duration TAKEOVER_DELAY = Duration.ofHours(24);
    static final Duration LIMIT_WINDOW = Duration.ofDays(90);
    static final int TRANSFERS_PER_WINDOW = 2;
    static final int MAX_CUSTOMERS_PER_CALL = 100;
    static final int MAX_UNASSIGNED_PAGE = 1000;
    /** transfer_result pages at this size so clients must follow next_cursor, as with WeCom. */
    static final int RESULT_PAGE = 100;

    /** Called when a transfer completes, to move the relationship from handover to takeover. */
    interface Takeover {
        void moved(String externalUserId, String handoverUserId, String takeoverUserId);
    }

    private final Takeover takeover;
    private final Map<Pair, Instant> unassigned = new LinkedHashMap<>();
    private final List<Transfer> transfers = new ArrayList<>();
    /** Customers who will refuse the next transfer offered to them. */
    private final Set<String> refuseNext = new LinkedHashSet<>();

    StubTransfers(Takeover takeover) {
        this.takeover = takeover;
    }

    void reset() {
        unassigned.clear();
        transfers.clear();
        refuseNext.clear();
    }

    void registerUnassigned(String handoverUserId, String externalUserId, Instant dimissionTime) {
        requireId(handoverUserId, "handover_userid");
        requireId(externalUserId, "external_userid");
        unassigned.put(new Pair(handoverUserId, externalUserId), dimissionTime);
    }

    /**
     * get_unassigned_list (获取待分配的离职成员列表, https://developer.work.weixin.qq.com/document/path/92124): page_size 1..1000 (default 1000), paged by
     * an opaque cursor (here an offset in registration order). 40058 otherwise.
     */
    ObjectNode unassignedList(JsonNode body) {
        int pageSize = body.path("page_size").asInt(MAX_UNASSIGNED_PAGE);
        if (pageSize <= 0 || pageSize > MAX_UNASSIGNED_PAGE) {
            return error(INVALID_PARAMETER, "page_size must be 1.." + MAX_UNASSIGNED_PAGE);
        }
        int offset = offset(text(body, "cursor"));
        if (offset < 0) {
            return error(INVALID_PARAMETER, "invalid cursor");
        }
        List<Map.Entry<Pair, Instant>> all = new ArrayList<>(unassigned.entrySet());
        ObjectNode reply = ok();
        ArrayNode info = reply.putArray("info");
        int end = Math.min(all.size(), offset + pageSize);
        for (Map.Entry<Pair, Instant> e : all.subList(Math.min(offset, all.size()), end)) {
            ObjectNode n = info.addObject();
            n.put("handover_userid", e.getKey().handover());
            n.put("external_userid", e.getKey().external());
            n.put("dimission_time", e.getValue().getEpochSecond());
        }
        boolean last = end >= all.size();
        reply.put("is_last", last);
        reply.put("next_cursor", last ? "" : cursor(end));
        return reply;
    }

    /**
     * transfer_customer (分配在职成员的客户, https://developer.work.weixin.qq.com/document/path/92125) and resigned/transfer_customer (分配离职成员的客户,
     * https://developer.work.weixin.qq.com/document/path/94081): handover and takeover required; 1..100 external_userid; the resigned variant only for a member
     * who left (40097); per customer 40128 (twice in 90 days), 40129 (already in transfer), 40130 (same member),
     * 84061 (no relationship). A transfer waits 24 hours for the customer.
     */
    ObjectNode transferCustomer(JsonNode body, boolean resigned, Instant now) {
        settle(now);
        String handover = text(body, "handover_userid");
        String takeoverUser = text(body, "takeover_userid");
        List<String> customers = strings(body.path("external_userid"));
        if (handover.isBlank() || takeoverUser.isBlank()) {
            return error(INVALID_PARAMETER, "handover_userid and takeover_userid are required");
        }
        if (customers.isEmpty() || customers.size() > MAX_CUSTOMERS_PER_CALL) {
            return error(INVALID_PARAMETER, "external_userid takes 1.." + MAX_CUSTOMERS_PER_CALL + " ids");
        }
        if (resigned && unassigned.keySet().stream().noneMatch(p -> p.handover().equals(handover))
                && transfers.stream().noneMatch(t -> t.resigned && t.handover.equals(handover))) {
            return error(NOT_RESIGNED, "handover_userid '" + handover + "' has not left the company");
        }
        ObjectNode reply = ok();
        ArrayNode out = reply.putArray("customer");
        for (String customer : customers) {
            ObjectNode n = out.addObject();
            n.put("external_userid", customer);
            n.put("errcode", accept(customer, handover, takeoverUser, resigned, now));
        }
        return reply;
    }

    /**
     * transfer_result (查询客户接替状态, https://developer.work.weixin.qq.com/document/path/94088; resigned 94082):
     * the pair's transfers, the latest per customer, {@link #RESULT_PAGE} at a time behind next_cursor; status 1
     * taken over, 2 waiting, 3 refused.
     */
    ObjectNode transferResult(JsonNode body, boolean resigned, Instant now) {
        settle(now);
        String handover = text(body, "handover_userid");
        String takeoverUser = text(body, "takeover_userid");
        if (handover.isBlank() || takeoverUser.isBlank()) {
            return error(INVALID_PARAMETER, "handover_userid and takeover_userid are required");
        }
        int offset = offset(text(body, "cursor"));
        if (offset < 0) {
            return error(INVALID_PARAMETER, "invalid cursor");
        }
        Map<String, Transfer> latest = new LinkedHashMap<>();
        for (Transfer t : transfers) {
            if (t.resigned == resigned && t.handover.equals(handover) && t.takeover.equals(takeoverUser)) {
                latest.remove(t.external);
                latest.put(t.external, t);
            }
        }
        List<Transfer> all = new ArrayList<>(latest.values());
        ObjectNode reply = ok();
        ArrayNode out = reply.putArray("customer");
        int end = Math.min(all.size(), offset + RESULT_PAGE);
        for (Transfer t : all.subList(Math.min(offset, all.size()), end)) {
            ObjectNode n = out.addObject();
            n.put("external_userid", t.external);
            n.put("status", t.status);
            n.put("takeover_time", t.takeoverTime());
        }
        reply.put("next_cursor", end >= all.size() ? "" : cursor(end));
        return reply;
    }

    /** Every waiting transfer is taken over now, as if the 24 hours had passed. */
    int completeAll(Instant now) {
        int done = 0;
        for (Transfer t : transfers) {
            if (t.status == STATUS_WAITING) {
                complete(t, now);
                done++;
            }
        }
        return done;
    }

    /** The customer's waiting transfer is refused; with none waiting, their next one will be. */
    void refuse(String externalUserId) {
        requireId(externalUserId, "external_userid");
        Transfer waiting = waiting(externalUserId);
        if (waiting == null) {
            refuseNext.add(externalUserId);
        } else {
            refuse(waiting);
        }
    }

    /** Takes over every transfer whose 24 hours are up, at the moment they were up. */
    void settle(Instant now) {
        for (Transfer t : transfers) {
            if (t.status == STATUS_WAITING && !now.isBefore(t.dueAt())) {
                complete(t, t.dueAt());
            }
        }
    }

    void snapshot(ObjectNode into) {
        ArrayNode u = into.putArray("unassigned");
        unassigned.forEach((pair, dimission) -> {
            ObjectNode n = u.addObject();
            n.put("handover_userid", pair.handover());
            n.put("external_userid", pair.external());
            n.put("dimission_time", dimission.getEpochSecond());
        });
        ArrayNode ts = into.putArray("transfers");
        for (Transfer t : transfers) {
            ObjectNode n = ts.addObject();
            n.put("external_userid", t.external);
            n.put("handover_userid", t.handover);
            n.put("takeover_userid", t.takeover);
            n.put("resigned", t.resigned);
            n.put("requested_at", t.requestedAt.toString());
            n.put("status", t.status);
            n.put("takeover_time", t.takeoverTime());
        }
        refuseNext.forEach(into.putArray("refuse_next")::add);
    }

    private int accept(String customer, String handover, String takeoverUser, boolean resigned, Instant now) {
        if (handover.equals(takeoverUser)) {
            return SAME_HANDOVER_AND_TAKEOVER;
        }
        if (waiting(customer) != null) {
            return ALREADY_IN_TRANSFER;
        }
        Pair pair = new Pair(handover, customer);
        if (resigned && !unassigned.containsKey(pair)) {
            return NO_RELATIONSHIP;
        }
        // WeCom's rule is for customers of members on the job; a departed member's customers may always be passed on.
        if (!resigned && recentOnJobTransfers(customer, now) >= TRANSFERS_PER_WINDOW) {
            return TRANSFERRED_TOO_OFTEN;
        }
        Transfer t = new Transfer(customer, handover, takeoverUser, resigned, now,
                resigned ? unassigned.remove(pair) : null);
        transfers.add(t);
        if (refuseNext.remove(customer)) {
            refuse(t);
        }
        return StubReplies.OK;
    }

    private long recentOnJobTransfers(String customer, Instant now) {
        Instant since = now.minus(LIMIT_WINDOW);
        return transfers.stream()
                .filter(t -> !t.resigned && t.external.equals(customer) && t.requestedAt.isAfter(since))
                .count();
    }

    private Transfer waiting(String customer) {
        for (Transfer t : transfers) {
            if (t.status == STATUS_WAITING && t.external.equals(customer)) {
                return t;
            }
        }
        return null;
    }

    private void complete(Transfer t, Instant at) {
        t.status = STATUS_TAKEN_OVER;
        t.takenOverAt = at;
        takeover.moved(t.external, t.handover, t.takeover);
    }

    /** A refused customer of a departed member is unassigned again, to be offered to someone else. */
    private void refuse(Transfer t) {
        t.status = STATUS_REFUSED;
        if (t.resigned && t.dimissionTime != null) {
            unassigned.put(new Pair(t.handover, t.external), t.dimissionTime);
        }
    }

    private static int offset(String cursor) {
        if (cursor.isEmpty()) {
            return 0;
        }
        try {
            return cursor.startsWith("c") ? Integer.parseInt(cursor.substring(1)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String cursor(int offset) {
        return "c" + offset;
    }

    private static void requireId(String id, String name) {
        // IllegalArgumentException: the control API turns it into a 400 with this text.
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }

    private record Pair(String handover, String external) { }

    /** Mutable on purpose: a transfer moves from waiting to taken over or refused. */
    private static final class Transfer {
        final String external;
        final String handover;
        final String takeover;
        final boolean resigned;
        final Instant requestedAt;
        /** For a departed member's customer: when the member left, to restore the unassigned entry on refusal. */
        final Instant dimissionTime;
        int status = STATUS_WAITING;
        Instant takenOverAt;

        Transfer(String external, String handover, String takeover, boolean resigned, Instant requestedAt,
                 Instant dimissionTime) {
            this.external = external;
            this.handover = handover;
            this.takeover = takeover;
            this.resigned = resigned;
            this.requestedAt = requestedAt;
            this.dimissionTime = dimissionTime;
        }

        Instant dueAt() {
            return requestedAt.plus(TAKEOVER_DELAY);
        }

        /** WeCom: when taken over; while waiting, when the automatic takeover will happen; 0 when refused. */
        long takeoverTime() {
            switch (status) {
                case STATUS_TAKEN_OVER:
                    return takenOverAt.getEpochSecond();
                case STATUS_WAITING:
                    return dueAt().getEpochSecond();
                default:
                    return 0;
            }
        }
    }
}
