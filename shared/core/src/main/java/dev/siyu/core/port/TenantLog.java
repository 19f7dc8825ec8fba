package dev.siyu.core.port;

import dev.siyu.core.profile.TimelineEvent;

/**
 * Events that belong to no single customer: customer-group changes, corp tag changes, callbacks we
 * do not act on yet. subject names the stream, e.g. "GROUP#wrOgQhDgAAMYQiS5ol9G7gK9JVAAAA".
 */
public interface TenantLog {
    void append(String tenant, String subject, TimelineEvent event);

    /** Upserts the customer group summary: status (active, dismissed) and member count change. */
    void recordGroup(String tenant, String chatId, String status, int memberDelta, TimelineEvent event);
}
