package dev.siyu.core.callback;

import dev.siyu.core.channel.PoolLoad;
import dev.siyu.core.channel.StaffRouter;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.StaffLoadStore;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import java.lang.System.Logger.Level;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * After a customer arrives through a channel code, counts the add and points the code at whoever
 * should get the next customer (least loaded, next in rotation, or the store's least loaded).
 * WeCom's own multi-person codes assign at random, so the suite keeps one assignee per code and
 * moves it with update_contact_way.
 */
public final class Rerouter {
    private static final System.Logger LOG = System.getLogger(Rerouter.class.getName());
    private final StaffLoadStore loads;
    private final WeComApi wecom;
    private final StaffRouter router;

    public Rerouter(StaffLoadStore loads, WeComApi wecom, StaffRouter router) {
        this.loads = loads;
        this.wecom = wecom;
        this.router = router;
    }

    /**
     * Returns the staff member the code routes to next, or empty when the whole pool is full today. The add
     * is counted once per operation (the callback's dedup key), however often the callback is redone.
     */
    public Optional<String> afterAdd(String tenant, ChannelDirectory.Channel channel, String addedTo, LocalDate day,
                                     String operation) {
        PoolLoad load = loads.recordAdd(tenant, channel.code().pool(), addedTo, day, operation);
        Optional<StaffMember> next = router.route(channel.code().type(), channel.pool(), load);
        if (next.isEmpty()) {
            LOG.log(Level.WARNING, JsonLog.line("channel pool full for today", "state", channel.code().state(),
                    "pool", channel.code().pool()));
            return Optional.empty();
        }
        String nextUser = next.get().userId();
        if (!nextUser.equals(addedTo)) {
            try {
                wecom.updateContactWay(channel.code().configId(), List.of(nextUser), channel.code().state());
            } catch (WeComApiException e) {
                // The code keeps routing to the previous assignee; the next add tries again.
                LOG.log(Level.WARNING, JsonLog.line("reroute failed", "state", channel.code().state(),
                        "errcode", e.errcode()));
            }
        }
        return Optional.of(nextUser);
    }

    /** Once per operation: a callback redone after a failed removal counts it then, and only then. */
    public void afterRemoval(String tenant, String pool, String staffUserId, String operation) {
        loads.recordRemoval(tenant, pool, staffUserId, operation);
    }
}
