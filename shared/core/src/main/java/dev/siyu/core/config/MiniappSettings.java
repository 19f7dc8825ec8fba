package dev.siyu.core.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The blueprint's {@code miniapp} section: the Mini Program's subscription-message templates, by the name the
 * journeys use for them ({@code subscription: repurchase_reminder} on a message step).
 */
public record MiniappSettings(Map<String, SubscriptionTemplate> subscriptionTemplates) {
    /** No section: no templates, so no member can subscribe and every step goes its normal way. */
    public static final MiniappSettings NONE = new MiniappSettings(Map.of());

    public MiniappSettings {
        subscriptionTemplates = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(subscriptionTemplates));
    }

    /**
     * One template the brand picked in the Mini Program's console.
     *
     * @param name       the blueprint's name for it (repurchase_reminder)
     * @param templateId WeChat's template id, what wx.requestSubscribeMessage asks for and subscribeMessage.send sends
     * @param page       the Mini Program page a tap on the message opens; null: none
     * @param fields     the template's keywords (thing1, time2, ...) and what goes in each; {@code {text}} is the
     *                   step's text, {@code {date}} the day it is sent
     */
    public record SubscriptionTemplate(String name, String templateId, String page, Map<String, String> fields) {
        public SubscriptionTemplate {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    public Optional<SubscriptionTemplate> template(String name) {
        return Optional.ofNullable(subscriptionTemplates.get(name));
    }

    /** The template with WeChat's id (what the Mini Program reports back), if the blueprint declares it. */
    public Optional<SubscriptionTemplate> byTemplateId(String templateId) {
        return subscriptionTemplates.values().stream().filter(t -> t.templateId().equals(templateId)).findFirst();
    }
}
