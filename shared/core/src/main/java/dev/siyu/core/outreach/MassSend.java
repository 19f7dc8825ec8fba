package dev.siyu.core.outreach;

import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.Touch;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import java.time.Instant;
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
    private final CustomerStore customers;
    private final ProfileScan profiles;
    private final WeComApi wecom;

    public MassSend(Outreach outreach, CustomerStore customers, ProfileScan profiles, WeComApi wecom) {
        this.outreach = outreach;
        this.customers = customers;
        this.profiles = profiles;
        this.wecom = wecom;
    }

    public record Result(int asked, int sent, int senders) { }

    public Result send(String tenant, String campaign, String text, ContentClass content, Instant now) {
        Map<String, List<String>> bySender = new LinkedHashMap<>();
        int[] asked = {0};
        List<Runnable> after = new ArrayList<>();
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
            customers.append(tenant, p.customerId(), List.of(a.event()));
            if (a.decision().allowed()) {
                bySender.computeIfAbsent(staff, s -> new ArrayList<>()).add(p.externalUserId());
                after.add(() -> outreach.sent(tenant, touch, now));
            }
        });
        int sent = 0;
        for (Map.Entry<String, List<String>> e : bySender.entrySet()) {
            wecom.addMsgTemplate(MsgTemplate.single(e.getKey(), e.getValue(), text, null));
            sent += e.getValue().size();
        }
        after.forEach(Runnable::run);
        return new Result(asked[0], sent, bySender.size());
    }
}
