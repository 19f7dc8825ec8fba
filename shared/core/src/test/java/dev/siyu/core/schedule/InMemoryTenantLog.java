package dev.siyu.core.schedule;

import dev.siyu.core.port.TenantLog;
import dev.siyu.core.profile.TimelineEvent;
import java.util.ArrayList;
import java.util.List;

final class InMemoryTenantLog implements TenantLog {
    record Entry(String tenant, String subject, TimelineEvent event) { }

    final List<Entry> entries = new ArrayList<>();

    @Override
    public synchronized void append(String tenant, String subject, TimelineEvent event) {
        entries.add(new Entry(tenant, subject, event));
    }

    @Override
    public synchronized void recordGroup(String tenant, String chatId, String status, int memberDelta, TimelineEvent event) {
        entries.add(new Entry(tenant, "GROUP#" + chatId, event));
    }

    synchronized List<TimelineEvent> of(String subject) {
        return entries.stream().filter(e -> e.subject().equals(subject)).map(Entry::event).toList();
    }

    synchronized List<TimelineEvent> of(String subject, String kind) {
        return of(subject).stream().filter(e -> e.kind().equals(kind)).toList();
    }
}
