package dev.siyu.core.group;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.GroupStore.Group;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A departing staff member's customer groups go to their successor with their customers (offboarding):
 * {@code groupchat/transfer} for a member who left, {@code groupchat/onjob_transfer} for one still on the job,
 * at most 100 groups a call. A group WeCom transferred gets its new owner in the store at once (its
 * change_owner callback says the same later); one WeCom refused stays with its owner and is logged
 * ({@code group_transfer_failed} with the errcode) for the next run or an operator.
 */
public final class GroupHandover {
    private static final System.Logger LOG = System.getLogger(GroupHandover.class.getName());
    static final int MAX_PER_CALL = 100;

    private final ScrmConfig config;
    private final GroupStore groups;
    private final WeComApi wecom;
    private final TenantLog log;
    private final Ids ids;

    public GroupHandover(ScrmConfig config, GroupStore groups, WeComApi wecom, TenantLog log, Ids ids) {
        this.config = config;
        this.groups = groups;
        this.wecom = wecom;
        this.log = log;
        this.ids = ids;
    }

    /**
     * @param groups      groups of the departed members found
     * @param transferred groups WeCom moved to the successor
     * @param failed      groups WeCom refused (see the TRANSFERS log)
     * @param failedCalls calls that failed outright; their groups are tried again on the next run
     */
    public record Summary(int groups, int transferred, int failed, int failedCalls) {
        public static final Summary NONE = new Summary(0, 0, 0, 0);
    }

    /** successors: departed member -> successor, as offboarding picked them for the member's customers. */
    public Summary transfer(Map<String, String> successors, boolean resigned, Instant now) {
        if (successors.isEmpty()) {
            return Summary.NONE;
        }
        String tenant = config.tenant();
        int found = 0;
        int transferred = 0;
        int failed = 0;
        int failedCalls = 0;
        List<Group> all = groups.groups(tenant);
        for (Map.Entry<String, String> s : successors.entrySet()) {
            List<Group> owned = all.stream().filter(g -> s.getKey().equals(g.owner())).toList();
            found += owned.size();
            for (int from = 0; from < owned.size(); from += MAX_PER_CALL) {
                List<Group> batch = owned.subList(from, Math.min(owned.size(), from + MAX_PER_CALL));
                List<WeComApi.GroupTransferFailure> refused;
                try {
                    refused = wecom.transferGroupChats(batch.stream().map(Group::chatId).toList(), s.getValue(), resigned);
                } catch (WeComApiException e) {
                    failedCalls++;
                    LOG.log(Level.WARNING, JsonLog.line("group transfer call failed", "tenant", tenant,
                            "handover", s.getKey(), "takeover", s.getValue(), "groups", batch.size(),
                            "errcode", e.errcode()));
                    continue;
                }
                Map<String, Integer> errcodes = new HashMap<>();
                refused.forEach(f -> errcodes.put(f.chatId(), f.errcode()));
                for (Group g : batch) {
                    Integer errcode = errcodes.get(g.chatId());
                    Map<String, String> details = Map.of("chat_id", g.chatId(), "handover", s.getKey(),
                            "takeover", s.getValue(), "errcode", errcode == null ? "0" : errcode.toString());
                    if (errcode == null) {
                        transferred++;
                        groups.save(new Group(g.tenant(), g.chatId(), g.name(), g.groupType(), s.getValue(),
                                g.memberCount(), g.status(), g.createdAt()));
                        log.append(tenant, "TRANSFERS", event(now, "group_transferred", s.getKey(), details));
                    } else {
                        failed++;
                        log.append(tenant, "TRANSFERS", event(now, "group_transfer_failed", s.getKey(), details));
                    }
                }
            }
        }
        return new Summary(found, transferred, failed, failedCalls);
    }

    private TimelineEvent event(Instant now, String kind, String staff, Map<String, String> details) {
        return new TimelineEvent(ids.next("ev", now), now, kind, staff, details);
    }
}
