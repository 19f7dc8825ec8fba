package dev.siyu.core.port;

import dev.siyu.core.gate.CapPeriod;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.ContentMix;
import dev.siyu.core.gate.Counters;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Caps and content mix computed from an audience's {@link TouchRecord}s, the same way for every store, so
 * the in-memory ports and DynamoDB decide alike. Records past {@link TouchRecord#expiresAt} are ignored
 * (DynamoDB's TTL deletes lazily, days later).
 */
public final class TouchLog {
    private TouchLog() {
    }

    public static OutreachCounters.Reading reading(List<TouchRecord> records, Instant now, ZoneId zone, int window) {
        List<TouchRecord> live = new ArrayList<>();
        for (TouchRecord r : records) {
            if (r.expiresAt(zone).isAfter(now)) {
                live.add(r);
            }
        }
        live.sort(Comparator.comparingLong(TouchRecord::seq).thenComparing(TouchRecord::at)
                .thenComparing(TouchRecord::id));
        long nextSeq = 1;
        for (TouchRecord r : records) {
            nextSeq = Math.max(nextSeq, r.seq() + 1);
        }
        String month = CapPeriod.MONTH.key(now, zone);
        String week = CapPeriod.WEEK.key(now, zone);
        String day = CapPeriod.DAY.key(now, zone);
        int mass = 0;
        int massWeek = 0;
        int massDay = 0;
        int journey = 0;
        int moments = 0;
        StringBuilder mix = new StringBuilder();
        for (TouchRecord r : live) {
            if (r.holdsSlot() && r.channel().reachesCustomer()) {
                // Every add_msg_template task to the customer, whoever made it (Channel#sentAsMessageTemplate).
                if (r.channel().sentAsMessageTemplate()) {
                    mass += CapPeriod.MONTH.key(r.at(), zone).equals(month) ? 1 : 0;
                    massWeek += CapPeriod.WEEK.key(r.at(), zone).equals(week) ? 1 : 0;
                    massDay += CapPeriod.DAY.key(r.at(), zone).equals(day) ? 1 : 0;
                }
                if (r.channel() == Channel.MOMENTS_POST && CapPeriod.DAY.key(r.at(), zone).equals(day)) {
                    moments++;
                }
                if (r.journeyStep() && CapPeriod.WEEK.key(r.at(), zone).equals(week)) {
                    journey++;
                }
            }
            if (r.inMix()) {
                mix.append(TouchRecord.code(r.content()));
            }
        }
        if (!live.isEmpty()) {
            // The lowest seq kept: its writer saw none of the records kept, so what it saw is the history gone.
            long lowest = live.get(0).seq();
            String gone = "";
            for (TouchRecord r : live) {
                if (r.seq() == lowest && r.before().length() > gone.length()) {
                    gone = r.before();
                }
            }
            mix.insert(0, gone);
        }
        String latest = mix.length() > window ? mix.substring(mix.length() - window) : mix.toString();
        int promotional = 0;
        for (int i = 0; i < latest.length(); i++) {
            if (latest.charAt(i) == TouchRecord.PROMOTIONAL_CODE) {
                promotional++;
            }
        }
        return new OutreachCounters.Reading(new Counters(mass, journey, moments, massWeek, massDay),
                new ContentMix(latest.length() - promotional, promotional), latest, nextSeq);
    }
}
