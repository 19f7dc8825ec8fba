package dev.siyu.core.engine;

import dev.siyu.core.event.DedupKey;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.outreach.MassSend;
import dev.siyu.core.outreach.Segment;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.profile.CustomerLookup;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The catalog's operator actions ({@link JobCatalog#actions()}) run with their input, as the scheduler
 * receives it ({@code {"job": "mass_send", "input": {...}}}).
 */
public final class OperatorActions {
    /** The scheduler function's timeout: a run that died lets the next one in after this. */
    /** externalcontact/transfer_customer takes at most 100 customers per call. */
    static final int MAX_TRANSFER = 100;

    /** What a mass send run reports: the campaign's counts (MassSend.Result without its failure). */
    public record MassSendSummary(String campaign, int asked, int sent, int senders) { }

    /** What a transfer reports: customers WeCom accepted, and those it refused with their errcode. */
    public record TransferSummary(String handover, String takeover, int requested, Map<String, Integer> refused) { }

    private final Engine engine;

    OperatorActions(Engine engine) {
        this.engine = engine;
    }

    Object run(String action, Map<String, Object> input) {
        Map<String, Object> in = input == null ? Map.of() : input;
        if (JobCatalog.MASS_SEND.equals(action)) {
            return massSend(in);
        }
        return transfer(in);
    }

    private MassSendSummary massSend(Map<String, Object> in) {
        String campaign = text(in, "campaign");
        String text = text(in, "text");
        String contentValue = Optional.ofNullable(in.get("content")).map(String::valueOf).orElse("value");
        ContentClass content;
        try {
            content = ContentClass.valueOf(contentValue.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("content is value or promotional, not '" + contentValue + "'", e);
        }
        Map<?, ?> segment = in.get("segment") instanceof Map<?, ?> m ? m : Map.of();
        Segment who = new Segment(strings(segment.get("tags")), strings(segment.get("stages")));
        String tenant = engine.config().tenant();
        CustomerStore customers = engine.ports().customers();
        DedupKey lease = MassSend.lease(campaign);
        String token = CustomerStore.newToken();
        Instant now = engine.clock().instant();
        if (customers.claimLease(tenant, lease, token, now, now.plus(MassSend.LEASE)) != CustomerStore.Claim.WON) {
            // Another run of the campaign is sending: failing lets the scheduler retry once it is done (or its
            // lease ran out), and the retry resumes from the touch records.
            throw new IllegalStateException("campaign " + campaign + " is being sent by another run; try again later");
        }
        MassSend.Result r;
        try {
            r = engine.massSend().send(tenant, campaign, text, content, who, now);
        } catch (RuntimeException e) {
            customers.release(tenant, lease, token);
            throw e;
        }
        customers.release(tenant, lease, token);
        return new MassSendSummary(campaign, r.asked(), r.sent(), r.senders());
    }

    private TransferSummary transfer(Map<String, Object> in) {
        String handover = text(in, "handover");
        String takeover = text(in, "takeover");
        List<String> externals = List.copyOf(strings(in.get("external_userids")));
        if (externals.isEmpty() || externals.size() > MAX_TRANSFER) {
            throw new IllegalArgumentException("external_userids names 1 to " + MAX_TRANSFER + " customers, not "
                    + externals.size());
        }
        WeComApi wecom = engine.ports().wecom();
        String tenant = engine.config().tenant();
        CustomerStore customers = engine.ports().customers();
        Instant now = engine.clock().instant();
        CustomerLookup lookup = new CustomerLookup(customers);
        Map<String, Integer> refused = new java.util.LinkedHashMap<>();
        int requested = 0;
        for (WeComApi.TransferOutcome o : wecom.transferCustomers(handover, takeover, externals, false)) {
            boolean ok = o.errcode() == 0;
            if (ok) {
                requested++;
            } else {
                refused.put(o.externalUserId(), o.errcode());
            }
            // A WeCom-first customer has no external_userid alias: found by the id derived from it.
            Optional<String> customer = lookup.byExternalUserId(tenant, o.externalUserId()).map(p -> p.customerId());
            if (customer.isPresent()) {
                Map<String, String> details = ok ? Map.of("handover", handover, "takeover", takeover, "on_the_job", "true")
                        : Map.of("handover", handover, "takeover", takeover, "on_the_job", "true",
                        "errcode", Integer.toString(o.errcode()));
                customers.append(tenant, customer.get(), List.of(new TimelineEvent(engine.ids().next("ev", now), now,
                        ok ? "transfer_requested" : "transfer_refused", takeover, details)));
            }
        }
        return new TransferSummary(handover, takeover, requested, refused);
    }

    private static String text(Map<String, Object> in, String key) {
        Object v = in.get(key);
        if (v == null || String.valueOf(v).isBlank()) {
            throw new IllegalArgumentException("the input needs " + key);
        }
        return String.valueOf(v).trim();
    }

    private static Set<String> strings(Object v) {
        Set<String> out = new LinkedHashSet<>();
        if (v instanceof Collection<?> c) {
            c.forEach(x -> out.add(String.valueOf(x).trim()));
        } else if (v != null && !String.valueOf(v).isBlank()) {
            for (String s : String.valueOf(v).split(",")) {
                out.add(s.trim());
            }
        }
        out.removeIf(String::isEmpty);
        return out;
    }
}
