package dev.siyu.core.schedule;

import dev.siyu.core.gate.CapPeriod;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.ContentMix;
import dev.siyu.core.gate.Counters;
import dev.siyu.core.port.OutreachCounters;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The CAP# counters and mix list as DynamoOutreachCounters keeps them: period keys, GROUP_MESSAGE outside customer mixes. */
final class InMemoryOutreachCounters implements OutreachCounters {
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, List<ContentClass>> mixes = new HashMap<>();

    @Override
    public synchronized Reading read(String tenant, String customerId, Instant now, ZoneId tenantZone, int mixWindow) {
        String c = tenant + "|" + customerId;
        Counters counters = new Counters(
                counts.getOrDefault(c + "|MASS|" + CapPeriod.MONTH.key(now, tenantZone), 0),
                counts.getOrDefault(c + "|JOURNEY|" + CapPeriod.WEEK.key(now, tenantZone), 0),
                counts.getOrDefault(c + "|MOMENTS|" + CapPeriod.DAY.key(now, tenantZone), 0));
        List<ContentClass> all = mixes.getOrDefault(c, List.of());
        List<ContentClass> latest = all.subList(Math.max(0, all.size() - mixWindow), all.size());
        int promo = (int) latest.stream().filter(x -> x == ContentClass.PROMOTIONAL).count();
        return new Reading(counters, new ContentMix(latest.size() - promo, promo));
    }

    @Override
    public synchronized void record(String tenant, String customerId, Channel channel, ContentClass content,
                                    boolean journeyStep, Instant now, ZoneId tenantZone) {
        if (!channel.reachesCustomer()) {
            return;
        }
        String c = tenant + "|" + customerId;
        if (channel == Channel.MASS_MESSAGE) {
            counts.merge(c + "|MASS|" + CapPeriod.MONTH.key(now, tenantZone), 1, Integer::sum);
        }
        if (channel == Channel.MOMENTS_POST) {
            counts.merge(c + "|MOMENTS|" + CapPeriod.DAY.key(now, tenantZone), 1, Integer::sum);
        }
        if (journeyStep) {
            counts.merge(c + "|JOURNEY|" + CapPeriod.WEEK.key(now, tenantZone), 1, Integer::sum);
        }
        if (content != null && OutreachCounters.countsInCustomerMix(channel)) {
            mixes.computeIfAbsent(c, k -> new ArrayList<>()).add(content);
        }
    }

    /** The whole mix list of one id, oldest first. */
    synchronized List<ContentClass> mix(String tenant, String customerId) {
        return List.copyOf(mixes.getOrDefault(tenant + "|" + customerId, List.of()));
    }
}
