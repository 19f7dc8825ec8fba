package dev.siyu.sidebar;

import java.time.Instant;
import java.util.List;

/**
 * The staff member's open desk tasks as the sidebar lists and closes them: a prepared message the staff member
 * sends as their own 1-on-1 message (sendChatMessage), then marks sent, or dismisses.
 */
public interface DeskTasks {
    /** One open task as the page shows it; text is exactly what sendChatMessage sends. */
    record Task(String id, String customerId, String kind, String title, String text, List<String> attachments,
                Instant createdAt, Instant expiresAt) {
        public Task {
            attachments = attachments == null ? List.of() : List.copyOf(attachments);
        }
    }

    /** The staff member's open tasks for this customer (null: all their open tasks). */
    List<Task> open(String tenant, String staffUserId, String customerId, Instant now);

    /** The staff member sent the task's message: it lands on the customer's timeline. False: no such open task. */
    boolean markSent(String tenant, String staffUserId, String taskId, Instant now);

    /** The staff member will not send it. False: no such open task. */
    boolean dismiss(String tenant, String staffUserId, String taskId, Instant now);

    /** Before a deployment has desk tasks: none are listed, none can be closed. */
    DeskTasks NONE = new DeskTasks() {
        @Override
        public List<Task> open(String tenant, String staffUserId, String customerId, Instant now) {
            return List.of();
        }

        @Override
        public boolean markSent(String tenant, String staffUserId, String taskId, Instant now) {
            return false;
        }

        @Override
        public boolean dismiss(String tenant, String staffUserId, String taskId, Instant now) {
            return false;
        }
    };
}
