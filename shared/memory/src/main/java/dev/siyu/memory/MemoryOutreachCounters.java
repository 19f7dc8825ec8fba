package dev.siyu.memory;

import dev.siyu.core.gate.CapPeriod;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.ContentMix;
import dev.siyu.core.gate.Counters;
import dev.siyu.core.port.OutreachCounters;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The CAP# counters in memory: per-period counts and the latest content classes, as DynamoOutreachCounters keeps them. */
public final class MemoryOutreachCounters implements OutreachCounters {
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final Map<String, List<ContentClass>> mixes = new ConcurrentHashMap<>();

    @Override
    public Reading read(String tenant, String customerId, Instant now, ZoneId zone, int mixWindow) {
        String c = tenant + "#" + customerId + "#";
        Counters counters = new Counters(
                counts.getOrDefault(c + "MASS#" + CapPeriod.MONTH.key(now, zone), 0),
                counts.getOrDefault(c + "JOURNEY#" + CapPeriod.WEEK.key(now, zone), 0),
                counts.getOrDefault(c + "MOMENTS#" + CapPeriod.DAY.key(now, zone), 0));
        List<ContentClass> mix = mixes.getOrDefault(c, List.of());
        int value = 0;
        int promotional = 0;
        synchronized (mix) {
            for (int i = Math.max(0, mix.size() - mixWindow); i < mix.size(); i++) {
                if (mix.get(i) == ContentClass.PROMOTIONAL) {
                    promotional++;
                } else {
                    value++;
                }
            }
        }
        return new Reading(counters, new ContentMix(value, promotional));
    }

    @Override
    public void record(String tenant, String customerId, Channel channel, ContentClass content, boolean journeyStep,
                       Instant now, ZoneId zone) {
        if (!channel.reachesCustomer()) {
            return;
        }
        String c = tenant + "#" + customerId + "#";
        if (channel == Channel.MASS_MESSAGE) {
            counts.merge(c + "MASS#" + CapPeriod.MONTH.key(now, zone), 1, Integer::sum);
        }
        if (channel == Channel.MOMENTS_POST) {
            counts.merge(c + "MOMENTS#" + CapPeriod.DAY.key(now, zone), 1, Integer::sum);
        }
        if (journeyStep) {
            counts.merge(c + "JOURNEY#" + CapPeriod.WEEK.key(now, zone), 1, Integer::sum);
        }
        if (content != null && OutreachCounters.countsInCustomerMix(channel)) {
            List<ContentClass> mix = mixes.computeIfAbsent(c, x -> new ArrayList<>());
            synchronized (mix) {
                mix.add(content);
                if (mix.size() > 100) {
                    mix.remove(0);
                }
            }
        }
    }

    /** The kept mix list of one id (the latest 100), oldest first. */
    public List<ContentClass> mix(String tenant, String customerId) {
        List<ContentClass> mix = mixes.getOrDefault(tenant + "#" + customerId + "#", List.of());
        synchronized (mix) {
            return List.copyOf(mix);
        }
    }
}
