package dev.siyu.core.journey;

import dev.siyu.core.gate.ContentClass;
import java.util.List;
import java.util.Objects;

/**
 * What a journey step does. Touches that reach the customer pass the outreach gate first; tag,
 * stage and priority changes do not reach anyone and are not gated.
 */
public sealed interface Action {
    /** The action's type as written in YAML ({@code type:}). */
    String type();

    /**
     * A 1-on-1 message where automation is allowed: text, image, link or Mini Program card.
     *
     * @param picture      the picture file of an image or of a Mini Program card's cover; null: none named
     * @param subscription the blueprint's subscription template it may go as instead, when the member has a live
     *                     one-time subscription to it (a Mini Program subscription message); null: never
     */
    record SendMessage(MessageKind kind, ContentClass content, String text, String title, String url, String picture,
                       String subscription) implements Action {
        public SendMessage {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(text, "text");
        }

        public SendMessage(MessageKind kind, ContentClass content, String text, String title, String url,
                           String picture) {
            this(kind, content, text, title, url, picture, null);
        }

        public SendMessage(MessageKind kind, ContentClass content, String text, String title, String url) {
            this(kind, content, text, title, url, null);
        }

        public String type() {
            return "message";
        }
    }

    /**
     * A key 1-on-1 touchpoint the seed wants a human for: a task for the customer's staff member plus
     * an add_msg_template draft the staff member confirms.
     *
     * @param task needs_diagnosis, care_message, restock_reminder, churn_follow_up, ...
     * @param senior the task goes to a senior advisor (churn follow-up) rather than the customer's own
     *               staff member, when the tenant names one
     */
    record StaffTask(String task, ContentClass content, String draft, boolean senior) implements Action {
        public StaffTask {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(draft, "draft");
        }

        public String type() {
            return "staff_task";
        }
    }

    record ChangeTags(List<String> add, List<String> remove) implements Action {
        public ChangeTags {
            add = List.copyOf(add);
            remove = List.copyOf(remove);
        }

        public String type() {
            return "tags";
        }
    }

    /** An invitation (a message carrying the group's join link) to a group of this type. */
    record GroupInvite(String groupType, String text) implements Action {
        public GroupInvite {
            Objects.requireNonNull(groupType, "groupType");
            Objects.requireNonNull(text, "text");
        }

        public String type() {
            return "group_invite";
        }
    }

    /** Issues a Mini Program coupon and tells the customer with a Mini Program card. */
    /** @param picture the coupon card's cover picture file; null: the placeholder cover */
    record IssueCoupon(String coupon, String text, String picture) implements Action {
        public IssueCoupon {
            Objects.requireNonNull(coupon, "coupon");
            Objects.requireNonNull(text, "text");
        }

        public IssueCoupon(String coupon, String text) {
            this(coupon, text, null);
        }

        public String type() {
            return "coupon";
        }
    }

    /**
     * A Moments post visible only to customers with a tag. The customer gets the tag now; the daily
     * Moments job publishes one add_moment_task per day for every tag requested, so the daily cap holds
     * however many customers ask.
     */
    record MomentsPost(String text, String visibleToTag) implements Action {
        public MomentsPost {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(visibleToTag, "visibleToTag");
        }

        public String type() {
            return "moments_post";
        }
    }

    /** A message in the customer's group, drafted for the group owner to confirm (onboarding @mention). */
    record GroupMessage(ContentClass content, String text) implements Action {
        public GroupMessage {
            Objects.requireNonNull(content, "content");
            Objects.requireNonNull(text, "text");
        }

        public String type() {
            return "group_message";
        }
    }

    record ChangeStage(String stage) implements Action {
        public ChangeStage {
            Objects.requireNonNull(stage, "stage");
        }

        public String type() {
            return "stage";
        }
    }

    /** Lowers the customer's outreach priority: from now on only human steps and service messages reach them. */
    record LowerPriority() implements Action {
        public String type() {
            return "lower_priority";
        }
    }

    enum MessageKind { TEXT, IMAGE, LINK, MINIPROGRAM }
}
