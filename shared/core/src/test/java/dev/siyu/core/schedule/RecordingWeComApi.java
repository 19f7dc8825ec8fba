package dev.siyu.core.schedule;

import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A WeCom that keeps every call. Corp tags get ids when created; transfers behave as WeCom runs them
 * for departed staff: a requested customer leaves the unassigned list and waits (status 2) until the
 * test settles it; a refusal (3) or a takeover at their limit (5) puts the customer back on the list.
 */
final class RecordingWeComApi implements WeComApi {
    record MarkTag(String staff, String externalUserId, List<String> add, List<String> remove) { }

    record TransferCall(String handover, String takeover, List<String> externalUserIds, boolean resigned) { }

    private static final class Transfer {
        final Unassigned from;
        final String takeover;
        int status = 2;

        Transfer(Unassigned from, String takeover) {
            this.from = from;
            this.takeover = takeover;
        }
    }

    final Map<String, Map<String, String>> corpTags = new LinkedHashMap<>();
    final List<MarkTag> marks = new ArrayList<>();
    final List<MsgTemplate> templates = new ArrayList<>();
    final List<TransferCall> transferCalls = new ArrayList<>();
    final List<Unassigned> unassigned = new ArrayList<>();
    private final List<Transfer> transfers = new ArrayList<>();
    /** errcode the next transfer request for a customer gets, instead of 0. */
    final Map<String, Integer> rejectNext = new HashMap<>();
    /** add_msg_template calls to fail before succeeding again. */
    int failTemplates;

    @Override
    public ContactDetail contact(String externalUserId) {
        throw new UnsupportedOperationException("not used by the scheduled jobs");
    }

    @Override
    public ContactWay addContactWay(List<String> staffUserIds, String state, String remark) {
        throw new UnsupportedOperationException("not used by the scheduled jobs");
    }

    @Override
    public void updateContactWay(String configId, List<String> staffUserIds, String state) {
        throw new UnsupportedOperationException("not used by the scheduled jobs");
    }

    @Override
    public void sendWelcome(String welcomeCode, String text) {
        throw new UnsupportedOperationException("not used by the scheduled jobs");
    }

    @Override
    public synchronized Map<String, Map<String, String>> corpTags() {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>();
        corpTags.forEach((g, tags) -> copy.put(g, Map.copyOf(tags)));
        return copy;
    }

    @Override
    public synchronized String addCorpTag(String groupName, String tagName) {
        String id = "tag-" + tagName;
        corpTags.computeIfAbsent(groupName, k -> new LinkedHashMap<>()).put(tagName, id);
        return id;
    }

    @Override
    public synchronized void markTag(String staffUserId, String externalUserId, List<String> addTagIds,
                                     List<String> removeTagIds) {
        marks.add(new MarkTag(staffUserId, externalUserId, List.copyOf(addTagIds), List.copyOf(removeTagIds)));
    }

    @Override
    public synchronized String addMsgTemplate(MsgTemplate template) {
        if (failTemplates > 0) {
            failTemplates--;
            throw new WeComApiException(45009, "api freq out of limit", null);
        }
        templates.add(template);
        return "msg-" + templates.size();
    }

    @Override
    public void notifyStaff(List<String> staffUserIds, String text) {
        throw new UnsupportedOperationException("not used by the scheduled jobs");
    }

    @Override
    public String addMomentTask(String text, List<String> senderUserIds, List<String> tagIds) {
        throw new UnsupportedOperationException("not used by the scheduled jobs");
    }

    @Override
    public synchronized List<Unassigned> unassigned() {
        return List.copyOf(unassigned);
    }

    @Override
    public synchronized List<TransferOutcome> transferCustomers(String handoverUserId, String takeoverUserId,
                                                                List<String> externalUserIds, boolean resigned) {
        if (externalUserIds.size() > 100) {
            throw new WeComApiException(40058, "external_userid takes at most 100 ids", null);
        }
        transferCalls.add(new TransferCall(handoverUserId, takeoverUserId, List.copyOf(externalUserIds), resigned));
        List<TransferOutcome> out = new ArrayList<>();
        for (String ext : externalUserIds) {
            Integer reject = rejectNext.remove(ext);
            Unassigned u = unassigned.stream()
                    .filter(x -> x.externalUserId().equals(ext) && x.handoverUserId().equals(handoverUserId))
                    .findFirst().orElse(null);
            if (reject != null || u == null) {
                out.add(new TransferOutcome(ext, reject != null ? reject : 84061));
                continue;
            }
            unassigned.remove(u);
            transfers.add(new Transfer(u, takeoverUserId));
            out.add(new TransferOutcome(ext, 0));
        }
        return out;
    }

    @Override
    public synchronized List<TransferStatus> transferResult(String handoverUserId, String takeoverUserId,
                                                            boolean resigned) {
        Map<String, TransferStatus> latest = new LinkedHashMap<>();
        for (Transfer t : transfers) {
            if (t.from.handoverUserId().equals(handoverUserId) && t.takeover.equals(takeoverUserId)) {
                latest.put(t.from.externalUserId(), new TransferStatus(t.from.externalUserId(), t.status,
                        t.status == 1 ? 1_772_500_000L : 0));
            }
        }
        return new ArrayList<>(latest.values());
    }

    /** WeCom settles the customer's waiting transfer with this status. */
    synchronized void settle(String externalUserId, int status) {
        for (Transfer t : transfers) {
            if (t.status == 2 && t.from.externalUserId().equals(externalUserId)) {
                t.status = status;
                if (status == 3 || status == 5) {
                    unassigned.add(t.from);
                }
                return;
            }
        }
        throw new IllegalStateException("no waiting transfer for " + externalUserId);
    }
}
