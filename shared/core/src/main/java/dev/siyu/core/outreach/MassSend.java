package dev.siyu.core.outreach;

import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.Touch;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import dev.siyu.core.port.WeComApiException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An operator's mass message (customer 群发): every customer is asked about at the gate one by one (the
 * monthly cap, consent, relationships, quiet hours), then one add_msg_template per staff member carries
 * the customers it allowed, for that staff member to confirm.
 */
public final class MassSend {
    private final Outreach outreach;
    private final CustomerSnapshots writes;
    private final ProfileScan profiles;
    private final WeComApi wecom;
    private final ZoneId zone;

    /**
     * @param writes where each customer's decision event and touch record go: all customers' together, in
     *               as few writes as the store allows
     * @param zone   the tenant's zone (the touch records' periods)
     */
    public MassSend(Outreach outreach, CustomerSnapshots writes, ProfileScan profiles, WeComApi wecom, ZoneId zone) {
        this.outreach = outreach;
        this.writes = writes;
        this.profiles = profiles;
        this.wecom = wecom;
        this.zone = zone;
    }

    public record Result(int asked, int sent, int senders) { }

    public Result send(String tenant, String campaign, String text, ContentClass content, Instant now) {
        Map<String, List<String>> bySender = new LinkedHashMap<>();
        int[] asked = {0};
        List<CustomerSnapshots.Writes> decided = new ArrayList<>();
        Map<String, List<TouchRecord>> sentTouches = new LinkedHashMap<>();
        profiles.forEach(tenant, p -> {
            List<String> active = p.activeStaff();
            if (active.isEmpty() || p.externalUserId() == null) {
                return;
            }
            // The latest friendship, as the journeys and community invites use.
            String staff = active.get(active.size() - 1);
            asked[0]++;
            Touch touch = Touch.massMessage(p.customerId(), staff, content);
            Outreach.Asked a = outreach.ask(p, touch, now, "mass_message_sent", Map.of("campaign", campaign));
            // One record per campaign and customer: a campaign sent again does not count twice. It goes out with
            // the decision as the intent (it holds the customer's slot from before the call) and is settled after.
            List<TouchRecord> records = a.decision().allowed()
                    ? outreach.records(a, touch, now, "mass#" + campaign) : List.of();
            decided.add(new CustomerSnapshots.Writes(p.customerId(), null, List.of(a.event()),
                    records.stream().map(TouchRecord::intent).toList()));
            if (a.decision().allowed()) {
                bySender.computeIfAbsent(staff, s -> new ArrayList<>()).add(p.externalUserId());
                sentTouches.computeIfAbsent(staff, s -> new ArrayList<>()).addAll(records);
            }
        });
        // The decisions are on the timelines before anything is sent, as one write per 25 customers.
        writes.commitAll(tenant, decided, zone);
        int sent = 0;
        List<TouchRecord> settled = new ArrayList<>();
        try {
            for (Map.Entry<String, List<String>> e : bySender.entrySet()) {
                // One task per sender, each its own delivery: the campaign's id on the day, and the sender.
                String msgid;
                try {
                    msgid = wecom.touching("mass#" + campaign + "#" + now.atZone(zone).toLocalDate() + "#" + e.getKey())
                            .addMsgTemplate(MsgTemplate.single(e.getKey(), e.getValue(), text, null));
                } catch (WeComApiException refused) {
                    if (refused.errcode() > 0) {
                        // WeCom answered no: nothing went out to these customers, their slots are free again.
                        sentTouches.get(e.getKey()).forEach(r -> settled.add(r.settled(TouchRecord.Status.CANCELLED, null)));
                    }
                    throw refused;
                }
                sentTouches.get(e.getKey()).forEach(r -> settled.add(r.settled(TouchRecord.Status.SENT, msgid)));
                sent += e.getValue().size();
            }
        } finally {
            // What is known is written even when a sender failed; an unknown outcome stays SENDING (it may be out).
            writes.commitAll(tenant, byCustomer(settled), zone);
        }
        return new Result(asked[0], sent, bySender.size());
    }

    private static List<CustomerSnapshots.Writes> byCustomer(List<TouchRecord> records) {
        List<CustomerSnapshots.Writes> out = new ArrayList<>(records.size());
        records.forEach(r -> out.add(new CustomerSnapshots.Writes(r.customerId(), null, List.of(), List.of(r))));
        return out;
    }
}
