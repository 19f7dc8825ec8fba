package dev.siyu.core.miniapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.config.MiniappSettings;
import dev.siyu.core.ingest.BadInput;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.profile.TimelineEvent;
import java.lang.System.Logger.Level;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The member's subscription-message subscriptions: the Mini Program reports what wx.requestSubscribeMessage
 * answered for each template it asked about, and reads what is live. WeChat's rule is one accept, one message,
 * so each accept adds one message to that template's count; the outreach gate uses them one at a time.
 */
final class SubscriptionRoutes {
    static final Set<String> ANSWERS = Arrays.stream(SubscriptionStore.Answer.values())
            .map(SubscriptionStore.Answer::key).collect(Collectors.toUnmodifiableSet());
    private static final System.Logger LOG = System.getLogger(SubscriptionRoutes.class.getName());

    private final ObjectMapper json = new ObjectMapper();

    Optional<MemberEndpoint.Reply> route(MemberEndpoint.Member m, String method, List<String> s, byte[] body) {
        if (s.size() != 1) {
            return Optional.empty();
        }
        return switch (method) {
            case "GET" -> Optional.of(list(m));
            case "POST" -> Optional.of(answered(m, MemberInput.of(body)));
            default -> Optional.empty();
        };
    }

    /**
     * One answer for one template, as wx.requestSubscribeMessage gave it: {template_id, result, request_id}. The
     * request id names the answer, so a double tap or a retried request counts once; the store caps the count, as
     * WeChat offers no way to check what the client reports.
     */
    private MemberEndpoint.Reply answered(MemberEndpoint.Member m, MemberInput in) {
        in.only(Set.of("template_id", "result", "request_id"));
        String templateId = in.required("template_id", 64);
        MiniappSettings.SubscriptionTemplate template = settings(m).byTemplateId(templateId)
                .orElseThrow(() -> new BadInput("template_id", "is not one of the Mini Program's subscription "
                        + "templates in the blueprint"));
        String result = in.oneOf("result", ANSWERS).orElseThrow(() -> new BadInput("result", "is required"));
        String requestId = in.clientId("request_id");
        SubscriptionStore.Answer answer = SubscriptionStore.Answer.valueOf(result.toUpperCase(java.util.Locale.ROOT));
        if (store(m).answeredBefore(m.tenant(), m.customerId(), templateId, requestId)) {
            return list(m);
        }
        Subscription now = store(m).answered(m.tenant(), m.customerId(), templateId, answer, requestId, m.now());
        Map<String, String> d = new LinkedHashMap<>();
        d.put("template", template.name());
        d.put("template_id", templateId);
        d.put("result", result);
        d.put("remaining", Integer.toString(now.remaining()));
        d.put("channel", MemberEndpoint.CHANNEL);
        // One event per answer: the member may accept the same template many times, each is a message allowed.
        m.services().engine().ports().customers().append(m.tenant(), m.customerId(), List.of(new TimelineEvent(
                m.services().engine().ids().next("ev", m.now()), m.now(), "subscription_answered", null, d)));
        LOG.log(Level.INFO, JsonLog.line("member subscription recorded", "tenant", m.tenant(), "customer",
                m.customerId(), "template", template.name(), "result", result, "remaining", now.remaining()));
        return list(m);
    }

    /** Every template of the blueprint with the messages the member still allows with it. */
    private MemberEndpoint.Reply list(MemberEndpoint.Member m) {
        Map<String, Subscription> stored = store(m).subscriptions(m.tenant(), m.customerId()).stream()
                .collect(Collectors.toMap(Subscription::templateId, x -> x, (a, b) -> a));
        ObjectNode out = json.createObjectNode();
        ArrayNode a = out.putArray("subscriptions");
        for (MiniappSettings.SubscriptionTemplate t : settings(m).subscriptionTemplates().values()) {
            Subscription s = stored.get(t.templateId());
            ObjectNode o = a.addObject().put("template", t.name()).put("template_id", t.templateId())
                    .put("remaining", s == null ? 0 : s.remaining()).put("live", s != null && s.live());
            if (s != null && s.lastResult() != null) {
                o.put("last_result", s.lastResult()).put("at", s.at().toString());
            } else {
                o.putNull("last_result").putNull("at");
            }
        }
        return new MemberEndpoint.Reply(200, out.toString());
    }

    private static MiniappSettings settings(MemberEndpoint.Member m) {
        return m.services().engine().config().miniapp();
    }

    private static SubscriptionStore store(MemberEndpoint.Member m) {
        return m.services().engine().ports().subscriptions();
    }
}
