package dev.siyu.core.miniapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.ingest.BadInput;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.profile.TimelineEvent;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Consents (PIPL), the member's Mini Program activity as timeline events, and the notifications centre. */
final class EngagementRoutes {
    /** PIPL purposes a member decides on separately. Marketing is the one the outreach gate reads. */
    static final List<String> PURPOSES = List.of("marketing", "profiling", "personalization");
    static final Set<String> EVENT_KINDS = Set.of("page_view", "product_click", "share", "feedback");
    private static final System.Logger LOG = System.getLogger(EngagementRoutes.class.getName());

    private final MemberDetailsStore details;
    private final ObjectMapper json = new ObjectMapper();

    EngagementRoutes(MemberDetailsStore details) {
        this.details = details;
    }

    Optional<MemberEndpoint.Reply> route(MemberEndpoint.Member m, String method, List<String> s,
                                         Map<String, String> query, byte[] body) {
        String what = s.get(0);
        if ("consents".equals(what) && s.size() == 1) {
            return "GET".equals(method) ? Optional.of(consents(m))
                    : "POST".equals(method) ? Optional.of(decide(m, MemberInput.of(body))) : Optional.empty();
        }
        if ("events".equals(what) && s.size() == 1 && "POST".equals(method)) {
            return Optional.of(event(m, MemberInput.of(body)));
        }
        if ("notifications".equals(what) && s.size() == 1 && "GET".equals(method)) {
            return Optional.of(notifications(m));
        }
        if ("notifications".equals(what) && s.size() == 3 && "read".equals(s.get(2)) && "POST".equals(method)) {
            return Optional.of(read(m, s.get(1)));
        }
        return Optional.empty();
    }

    private MemberEndpoint.Reply consents(MemberEndpoint.Member m) {
        MemberDetails d = details.details(m.tenant(), m.customerId()).orElse(MemberDetails.empty(m.customerId()));
        ObjectNode out = json.createObjectNode();
        ArrayNode a = out.putArray("consents");
        for (String purpose : PURPOSES) {
            MemberDetails.ConsentRecord c = d.consents().get(purpose);
            ObjectNode o = a.addObject().put("purpose", purpose).put("granted", c != null && c.granted());
            if (c != null) {
                o.put("policy_version", c.policyVersion()).put("at", c.at().toString()).put("channel", c.channel());
            } else {
                o.putNull("policy_version").putNull("at").putNull("channel");
            }
        }
        return new MemberEndpoint.Reply(200, out.toString());
    }

    /**
     * Grants or withdraws one purpose. Marketing is written to the profile first, where the outreach gate reads
     * it, so a withdrawal blocks the next promotion as soon as this answers; then the member's record of it.
     */
    private MemberEndpoint.Reply decide(MemberEndpoint.Member m, MemberInput in) {
        in.only(Set.of("purpose", "granted", "policy_version"));
        String purpose = in.oneOf("purpose", Set.copyOf(PURPOSES)).orElseThrow(() -> new BadInput("purpose",
                "is required"));
        boolean granted = in.bool("granted").orElseThrow(() -> new BadInput("granted", "is required"));
        String policy = in.required("policy_version", 32);
        Map<String, String> d = new LinkedHashMap<>();
        d.put("purpose", purpose);
        d.put("policy_version", policy);
        d.put("channel", MemberEndpoint.CHANNEL);
        TimelineEvent e = new TimelineEvent("consent-" + purpose + "-" + m.now().toEpochMilli(), m.now(),
                granted ? "consent_granted" : "consent_withdrawn", null, d);
        var customers = m.services().engine().ports().customers();
        if ("marketing".equals(purpose)) {
            customers.update(m.tenant(), m.customerId(), p -> p.withActivity(granted
                    ? p.activity().consentGranted(m.now()) : p.activity().consentWithdrawn(m.now()), m.now()), List.of(e));
        } else {
            customers.append(m.tenant(), m.customerId(), List.of(e));
        }
        details.update(m.tenant(), m.customerId(), x -> x.withConsent(new MemberDetails.ConsentRecord(purpose, granted,
                policy, m.now(), MemberEndpoint.CHANNEL)));
        LOG.log(Level.INFO, JsonLog.line("member consent recorded", "tenant", m.tenant(), "customer", m.customerId(),
                "purpose", purpose, "granted", granted));
        return consents(m);
    }

    /** A page view, product click, share or feedback -> an {@code interacted} event with its kind, once per event_id. */
    private MemberEndpoint.Reply event(MemberEndpoint.Member m, MemberInput in) {
        in.only(Set.of("event_id", "kind", "at", "page", "product_id", "target", "text"));
        String eventId = in.clientId("event_id");
        String kind = in.oneOf("kind", EVENT_KINDS).orElseThrow(() -> new BadInput("kind", "is required"));
        Instant at = in.instant("at", m.now()).orElse(m.now());
        Map<String, String> d = new LinkedHashMap<>();
        d.put("kind", kind);
        d.put("channel", MemberEndpoint.CHANNEL);
        in.text("page", 200).ifPresent(v -> d.put("page", v));
        in.text("product_id", 64).ifPresent(v -> d.put("product_id", v));
        in.oneOf("target", Set.of("friend", "group", "moments")).ifPresent(v -> d.put("target", v));
        Optional<String> text = in.text("text", 500);
        if ("product_click".equals(kind) && !d.containsKey("product_id")) {
            throw new BadInput("product_id", "is required for a product_click");
        }
        if ("feedback".equals(kind)) {
            d.put("text", text.orElseThrow(() -> new BadInput("text", "is required for feedback")));
        }
        String id = "mp-" + eventId;
        m.services().engine().ports().customers().update(m.tenant(), m.customerId(), p ->
                p.activity().lastInteractionAt() != null && !at.isAfter(p.activity().lastInteractionAt())
                        ? null : p.withActivity(p.activity().interactedAt(at), m.now()),
                List.of(new TimelineEvent(id, at, "interacted", null, d)));
        ObjectNode out = json.createObjectNode();
        out.put("status", "recorded");
        out.put("event_id", eventId);
        return new MemberEndpoint.Reply(200, out.toString());
    }

    /** Newest first; promotions only while the member consents to marketing. */
    private MemberEndpoint.Reply notifications(MemberEndpoint.Member m) {
        MemberDetails d = details.details(m.tenant(), m.customerId()).orElse(MemberDetails.empty(m.customerId()));
        boolean promotions = d.consented("marketing");
        List<MemberDetails.Notification> shown = d.notifications().stream()
                .filter(n -> promotions || !"promotion".equals(n.kind())).toList();
        ObjectNode out = json.createObjectNode();
        out.put("unread", shown.stream().filter(n -> !n.read()).count());
        ArrayNode a = out.putArray("notifications");
        for (MemberDetails.Notification n : shown) {
            a.addObject().put("id", n.id()).put("kind", n.kind()).put("title", n.title()).put("body", n.body())
                    .put("at", n.at().toString()).put("read", n.read());
        }
        return new MemberEndpoint.Reply(200, out.toString());
    }

    private MemberEndpoint.Reply read(MemberEndpoint.Member m, String id) {
        MemberDetails d = details.details(m.tenant(), m.customerId()).orElse(MemberDetails.empty(m.customerId()));
        if (d.notifications().stream().noneMatch(n -> n.id().equals(id))) {
            return MemberEndpoint.error(404, "notification", "is not one of this member's");
        }
        details.update(m.tenant(), m.customerId(), x -> x.read(id));
        return notifications(m);
    }
}
