package dev.siyu.core.outreach;

import dev.siyu.core.config.MiniappSettings;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.miniapp.MiniProgram;
import dev.siyu.core.miniapp.MiniProgramRefusal;
import dev.siyu.core.miniapp.SubscriptionKeyword;
import dev.siyu.core.miniapp.SubscriptionStore;
import dev.siyu.core.profile.CustomerProfile;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A touch as a Mini Program subscription message: the blueprint's template, the member's one-time subscriptions
 * to it (one is taken for the touch, under its touch id, just before the send) and subscribeMessage.send. Knows
 * nothing of the gate or the touch records: the caller asks the gate and keeps the intent.
 */
public final class SubscriptionMessages {
    /** WeChat's answer when the member has no subscription left to the template. */
    public static final int NO_SUBSCRIPTION = 43101;
    /** A name keyword for a member whose name holds nothing a name keyword takes: "member". */
    static final String NAMELESS = "会员";
    private static final System.Logger LOG = System.getLogger(SubscriptionMessages.class.getName());

    private final MiniappSettings settings;
    private final SubscriptionStore store;
    private final MiniProgram wechat;
    private final ZoneId tenantZone;

    public SubscriptionMessages(MiniappSettings settings, SubscriptionStore store, MiniProgram wechat,
                                ZoneId tenantZone) {
        this.settings = settings;
        this.store = store;
        this.wechat = wechat;
        this.tenantZone = tenantZone;
    }

    /** The outcome of one send. */
    public enum Sent {
        /** WeChat took it. */
        SENT,
        /** 43101: the member has none left (used or withdrawn in WeChat); recorded, so the next touch does not try. */
        NONE_LEFT,
        /** Another refusal WeChat answered (a bad template, a blocked member): this message did not go out. */
        REFUSED
    }

    /**
     * The template and the member's openid when the member has a subscription to spend on the touch: a live one,
     * or the one this touch took before (its earlier attempt died).
     */
    public Optional<Target> target(CustomerProfile p, String templateName, String touchId) {
        Optional<MiniappSettings.SubscriptionTemplate> t = settings.template(templateName);
        String openid = p.identities().get(dev.siyu.core.profile.IdentityType.OPENID.key());
        if (t.isEmpty() || openid == null) {
            return Optional.empty();
        }
        String id = t.get().templateId();
        boolean took = store.took(p.tenant(), p.customerId(), id, touchId);
        boolean live = took || store.subscription(p.tenant(), p.customerId(), id).map(s -> s.live()).orElse(false);
        return live ? Optional.of(new Target(t.get(), openid, took)) : Optional.empty();
    }

    /** @param took the touch holds one of the member's subscriptions already */
    public record Target(MiniappSettings.SubscriptionTemplate template, String openid, boolean took) { }

    /** True when the touch took one of the member's subscriptions before (an earlier attempt of it). */
    public boolean took(CustomerProfile p, String templateName, String touchId) {
        return settings.template(templateName)
                .map(t -> store.took(p.tenant(), p.customerId(), t.templateId(), touchId)).orElse(false);
    }

    /** Takes one of the member's subscriptions for the touch; false when none is left. */
    public boolean take(CustomerProfile p, Target target, String touchId, Instant now) {
        return target.took() || store.take(p.tenant(), p.customerId(), target.template().templateId(), touchId, now);
    }

    /** subscribeMessage.send with the template's fields filled in; a 43101 also empties the member's count. */
    public Sent send(CustomerProfile p, Target target, String touchId, String text, Instant now) {
        MiniappSettings.SubscriptionTemplate t = target.template();
        try {
            wechat.sendSubscription(target.openid(), t.templateId(), t.page(), data(t, p, text, now));
            return Sent.SENT;
        } catch (MiniProgramRefusal refused) {
            LOG.log(Level.INFO, JsonLog.line("subscription message refused", "tenant", p.tenant(), "customer",
                    p.customerId(), "template", t.name(), "errcode", refused.errcode()));
            if (refused.errcode() == NO_SUBSCRIPTION) {
                store.refused(p.tenant(), p.customerId(), t.templateId(), touchId, now);
                return Sent.NONE_LEFT;
            }
            // WeChat used none of the member's subscriptions on a message it refused.
            store.giveBack(p.tenant(), p.customerId(), t.templateId(), touchId, now);
            return Sent.REFUSED;
        }
    }

    /**
     * The template's keywords: {text} the step's text, {name} the member's name, {date} today in the tenant's zone;
     * each value made to fit its keyword's kind ({@link SubscriptionKeyword}: a thing cut to 20 characters, a name
     * to what a name may hold, {@value #NAMELESS} when nothing of it is left).
     */
    Map<String, String> data(MiniappSettings.SubscriptionTemplate t, CustomerProfile p, String text, Instant now) {
        String name = p.name() == null ? "" : p.name();
        String filled = text.replace("{name}", name);
        Map<String, String> out = new LinkedHashMap<>();
        t.fields().forEach((key, value) -> {
            String v = value.replace("{text}", filled).replace("{name}", name)
                    .replace("{date}", now.atZone(tenantZone).toLocalDate().toString());
            SubscriptionKeyword kind = SubscriptionKeyword.of(key).orElse(SubscriptionKeyword.THING);
            v = kind.fit(v);
            if (kind == SubscriptionKeyword.NAME && v.isBlank()) {
                v = NAMELESS;
            }
            out.put(key, v);
        });
        return out;
    }
}
