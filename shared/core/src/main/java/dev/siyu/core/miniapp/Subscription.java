package dev.siyu.core.miniapp;

import java.time.Instant;

/**
 * A member's one-time subscriptions to one template: WeChat's rule is one accept in wx.requestSubscribeMessage,
 * one message, so {@code remaining} is the accepts not yet used by a message.
 *
 * @param templateId WeChat's template id
 * @param remaining  messages the member still allows with this template
 * @param lastResult the member's latest answer (accept, reject, ban) or {@code refused} after WeChat's 43101
 * @param at         when that was
 */
public record Subscription(String templateId, int remaining, String lastResult, Instant at) {
    public boolean live() {
        return remaining > 0;
    }
}
