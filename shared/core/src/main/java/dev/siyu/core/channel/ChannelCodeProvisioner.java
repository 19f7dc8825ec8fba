package dev.siyu.core.channel;

import dev.siyu.core.config.ChannelCodeSpec;
import dev.siyu.core.config.RoutingType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.config.Store;
import dev.siyu.core.port.ChannelStore;
import dev.siyu.core.port.StaffLoadStore;
import dev.siyu.core.port.WeComApi;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Creates the WeCom contact way behind every channel code of the config (one per store for
 * location_based codes). Applying the same config twice creates nothing new: a state that already
 * has a code keeps it, so printed QR codes stay valid.
 */
public final class ChannelCodeProvisioner {
    private final WeComApi wecom;
    private final ChannelStore channels;
    private final StaffLoadStore loads;
    private final StaffRouter router;
    private final Clock clock;

    public ChannelCodeProvisioner(WeComApi wecom, ChannelStore channels, StaffLoadStore loads, StaffRouter router,
                                  Clock clock) {
        this.wecom = wecom;
        this.channels = channels;
        this.loads = loads;
        this.router = router;
        this.clock = clock;
    }

    /** Returns every channel code of the config, created now or before. */
    public List<ChannelCode> provision(ScrmConfig config) {
        List<ChannelCode> result = new ArrayList<>();
        for (ChannelCodeSpec spec : config.channelCodes()) {
            if (spec.type() == RoutingType.LOCATION_BASED) {
                for (Store store : config.stores()) {
                    result.add(ensure(config, spec, spec.stateAt(store), spec.poolsAt(store).get(0), store.storeId()));
                }
            } else {
                result.add(ensure(config, spec, spec.state(), spec.staffPools().get(0), null));
            }
        }
        return result;
    }

    private ChannelCode ensure(ScrmConfig config, ChannelCodeSpec spec, String state, String pool, String storeId) {
        Optional<ChannelCode> existing = channels.byState(config.tenant(), state);
        if (existing.isPresent()) {
            return existing.get();
        }
        List<StaffMember> members = config.pool(pool);
        LocalDate today = LocalDate.now(clock.withZone(config.timezone()));
        StaffMember first = router.route(spec.type(), members, loads.load(config.tenant(), pool, today))
                .orElseThrow(() -> new ChannelFullException(spec.name(), state, pool));
        WeComApi.ContactWay way = wecom.addContactWay(List.of(first.userId()), state, remark(spec.name()));
        ChannelCode code = new ChannelCode(spec.name(), spec.type(), state, way.configId(), way.qrCode(),
                members.stream().map(StaffMember::userId).toList(), pool, storeId);
        channels.save(config.tenant(), code);
        return code;
    }

    /** WeCom caps a contact way's remark at 30 characters; the full name stays in our table. */
    private static String remark(String name) {
        return name.length() <= 30 ? name : name.substring(0, 30);
    }

    /** Every staff member of the pool has reached their daily friend-add limit. */
    public static final class ChannelFullException extends RuntimeException {
        public ChannelFullException(String channel, String state, String pool) {
            super("channel code '" + channel + "' (state " + state + "): every staff member of pool '" + pool
                    + "' has reached their daily_add_limit today; raise a limit or add staff to the pool");
        }
    }
}
