package dev.siyu.core.schedule;

import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.tags.CorpTags;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Marks a customer's tag change in WeCom. WeCom keeps tags per friendship (follow_user), so the change
 * goes through every active relationship: a customer served by two staff members shows the same tags
 * to both. Ended relationships are suppressed and pending ones are not friendships yet, so neither is
 * used; a customer without an active one is tagged only on the profile.
 */
final class WeComTagging {
    private final WeComApi wecom;
    private final CorpTags corpTags;

    WeComTagging(WeComApi wecom, CorpTags corpTags) {
        this.wecom = wecom;
        this.corpTags = corpTags;
    }

    /** marked: every active friendship now shows the change; noContact: none to go through. */
    enum Outcome { MARKED, NO_ACTIVE_CONTACT, FAILED }

    record Result(Outcome outcome, int errcode) {
        /** For the timeline event's details. */
        Map<String, String> details() {
            switch (outcome) {
                case MARKED:
                    return Map.of("marked_in_wecom", "true");
                case NO_ACTIVE_CONTACT:
                    return Map.of("marked_in_wecom", "false", "wecom", "no_active_contact");
                default:
                    return Map.of("marked_in_wecom", "false", "errcode", Integer.toString(errcode));
            }
        }
    }

    Result mark(CustomerProfile p, Set<String> added, Set<String> removed) {
        List<String> staff = p.activeStaff();
        if (staff.isEmpty() || p.externalUserId() == null) {
            return new Result(Outcome.NO_ACTIVE_CONTACT, 0);
        }
        try {
            List<String> addIds = corpTags.ensure(List.copyOf(added));
            List<String> removeIds = corpTags.ensure(List.copyOf(removed));
            for (String s : staff) {
                wecom.markTag(s, p.externalUserId(), addIds, removeIds);
            }
            return new Result(Outcome.MARKED, 0);
        } catch (WeComApiException e) {
            // The profile keeps the change; the next change (or an operator) brings WeCom in line.
            return new Result(Outcome.FAILED, e.errcode());
        }
    }
}
