package dev.siyu.core.config;

import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.journey.Action;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** One journey step's {@code action:}: its type picks the fields it takes and needs. */
final class ActionReader {
    /** Each type with the fields it accepts besides type, in the order "known:" lists them (see the example's comments). */
    static final Map<String, List<String>> FIELDS = fields();
    static final List<String> MESSAGE_KINDS = List.of("text", "image", "link", "miniprogram");
    static final List<String> CONTENT = List.of("value", "promotional");
    static final List<String> STAGES = List.of("new", "growth", "mature", "dormant", "churn_warning", "churned");
    /** The tasks the staff app knows how to present; others are allowed as long as they are one word. */
    static final List<String> KNOWN_TASKS = List.of("needs_diagnosis", "care_message", "restock_reminder",
            "churn_follow_up");
    private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9_]{0,63}");

    private final ProblemLog log;
    private final Declared declared;

    ActionReader(ProblemLog log, Declared declared) {
        this.log = log;
        this.declared = declared;
    }

    private static Map<String, List<String>> fields() {
        Map<String, List<String>> f = new LinkedHashMap<>();
        f.put("message", List.of("content", "text", "kind", "title", "url", "picture", "subscription"));
        f.put("staff_task", List.of("task", "content", "draft", "senior"));
        f.put("tags", List.of("add", "remove"));
        f.put("group_invite", List.of("group_type", "text"));
        f.put("coupon", List.of("coupon", "text", "picture"));
        f.put("moments_post", List.of("text", "visible_to_tag"));
        f.put("group_message", List.of("content", "text"));
        f.put("stage", List.of("stage"));
        f.put("lower_priority", List.of());
        return Collections.unmodifiableMap(f);
    }

    /** The action, or empty when something in it was reported. */
    Optional<Action> read(YamlMap action) {
        Optional<String> type = action.string("type", true);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        if (!FIELDS.containsKey(type.get())) {
            log.add(action.at("type"), Suggestions.unknown("action type", type.get(), List.copyOf(FIELDS.keySet())));
            return Optional.empty();
        }
        action.allowOnly(Stream.concat(Stream.of("type"), FIELDS.get(type.get()).stream()).toList());
        switch (type.get()) {
            case "message":
                return message(action);
            case "staff_task":
                return staffTask(action);
            case "tags":
                return tags(action);
            case "group_invite":
                return groupInvite(action);
            case "coupon": {
                Optional<String> coupon = action.string("coupon", true);
                Optional<String> text = action.string("text", true);
                Optional<String> picture = picture(action);
                return all(coupon, text) && picture != null
                        ? Optional.of(new Action.IssueCoupon(coupon.get(), text.get(), picture.orElse(null)))
                        : Optional.empty();
            }
            case "moments_post":
                return momentsPost(action);
            case "group_message": {
                Optional<ContentClass> content = content(action);
                Optional<String> text = action.string("text", true);
                return all(content, text) ? Optional.of(new Action.GroupMessage(content.get(), text.get()))
                        : Optional.empty();
            }
            case "stage":
                return action.choice("stage", true, "stage", STAGES)
                        .map(Action.ChangeStage::new);
            default:
                return Optional.of(new Action.LowerPriority());
        }
    }

    private Optional<Action> message(YamlMap action) {
        Optional<ContentClass> content = content(action);
        Optional<String> text = action.string("text", true);
        Optional<Action.MessageKind> kind = !action.has("kind") ? Optional.of(Action.MessageKind.TEXT)
                : action.choice("kind", false, "message kind", MESSAGE_KINDS)
                .map(k -> Action.MessageKind.valueOf(k.toUpperCase(Locale.ROOT)));
        Optional<String> title = action.string("title", false);
        Optional<String> url = action.string("url", false);
        Optional<String> picture = picture(action);
        Optional<String> subscription = action.string("subscription", false);
        boolean complete = all(content, text, kind) && picture != null;
        if (subscription.isPresent() && !declared.checkSubscriptionTemplate(
                new YamlMap.Item(subscription.get(), action.at("subscription")), log)) {
            complete = false;
        }
        if (kind.isPresent()) {
            // a link or Mini Program card cannot be sent without what it opens and its headline
            Action.MessageKind k = kind.get();
            String kindText = k.name().toLowerCase(Locale.ROOT);
            // an image is its picture: file (uploaded, as WeCom wants a media_id) or an image URL
            boolean pictured = k == Action.MessageKind.IMAGE && picture != null && picture.isPresent();
            if (k != Action.MessageKind.TEXT && !pictured && url.isEmpty() && !action.has("url")) {
                log.add(action.at("url"), "a " + kindText + " message needs url:"
                        + (k == Action.MessageKind.MINIPROGRAM ? " the Mini Program page path" : ""));
                complete = false;
            }
            if ((k == Action.MessageKind.LINK || k == Action.MessageKind.MINIPROGRAM) && title.isEmpty()
                    && !action.has("title")) {
                log.add(action.at("title"), "a " + kindText + " message needs title: (the card's headline)");
                complete = false;
            }
        }
        if (!complete) {
            return Optional.empty();
        }
        if (picture.isPresent() && kind.get() != Action.MessageKind.IMAGE && kind.get() != Action.MessageKind.MINIPROGRAM) {
            log.add(action.at("picture"), "picture: is for an image or a miniprogram message (its cover), not "
                    + kind.get().name().toLowerCase(Locale.ROOT));
            return Optional.empty();
        }
        return Optional.of(new Action.SendMessage(kind.get(), content.get(), text.get(), title.orElse(null),
                url.orElse(null), picture.orElse(null), subscription.orElse(null)));
    }

    /** The optional picture: file, checked; null when it was named and reported. */
    private Optional<String> picture(YamlMap action) {
        if (!action.has("picture")) {
            return Optional.empty();
        }
        Optional<String> p = action.string("picture", true);
        if (p.isEmpty()) {
            return null;
        }
        return declared.checkPicture(new YamlMap.Item(p.get(), action.at("picture")), log) ? p : null;
    }

    private Optional<Action> staffTask(YamlMap action) {
        Optional<String> task = action.string("task", true).filter(t -> {
            if (WORD.matcher(t).matches()) {
                return true;
            }
            String message = "task '" + t + "' must be one word of lowercase letters, digits and '_', such as "
                    + String.join(", ", KNOWN_TASKS);
            log.add(action.at("task"), Suggestions.closest(t, KNOWN_TASKS)
                    .map(c -> message + "; did you mean '" + c + "'?").orElse(message));
            return false;
        });
        Optional<ContentClass> content = content(action);
        Optional<String> draft = action.string("draft", true);
        Optional<Boolean> senior = action.has("senior") ? action.bool("senior") : Optional.of(false);
        if (!all(task, content, draft, senior)) {
            return Optional.empty();
        }
        return Optional.of(new Action.StaffTask(task.get(), content.get(), draft.get(), senior.get()));
    }

    private Optional<Action> tags(YamlMap action) {
        Optional<List<YamlMap.Item>> add = action.strings("add", false);
        Optional<List<YamlMap.Item>> remove = action.strings("remove", false);
        if (add.isPresent() != action.has("add") || remove.isPresent() != action.has("remove")) {
            return Optional.empty();
        }
        List<YamlMap.Item> added = add.orElse(List.of());
        List<YamlMap.Item> removed = remove.orElse(List.of());
        if (added.isEmpty() && removed.isEmpty()) {
            log.add(action.where(), "a tags action must add or remove at least one tag");
            return Optional.empty();
        }
        Stream.concat(added.stream(), removed.stream()).forEach(t -> declared.checkTag(t, log));
        return Optional.of(new Action.ChangeTags(YamlMap.Item.values(added), YamlMap.Item.values(removed)));
    }

    private Optional<Action> groupInvite(YamlMap action) {
        Optional<String> groupType = action.string("group_type", true)
                .filter(g -> declared.checkGroupType(new YamlMap.Item(g, action.at("group_type")), log));
        Optional<String> text = action.string("text", true);
        return all(groupType, text) ? Optional.of(new Action.GroupInvite(groupType.get(), text.get()))
                : Optional.empty();
    }

    private Optional<Action> momentsPost(YamlMap action) {
        Optional<String> text = action.string("text", true);
        Optional<String> tag = action.string("visible_to_tag", true);
        tag.ifPresent(t -> declared.checkTag(new YamlMap.Item(t, action.at("visible_to_tag")), log));
        return all(text, tag) ? Optional.of(new Action.MomentsPost(text.get(), tag.get())) : Optional.empty();
    }

    /** content: value or promotional, required wherever content reaches someone: the 70/30 mix counts it. */
    private Optional<ContentClass> content(YamlMap action) {
        return action.choice("content", true, "content class", CONTENT)
                .map(c -> ContentClass.valueOf(c.toUpperCase(Locale.ROOT)));
    }

    private static boolean all(Optional<?>... parts) {
        return Stream.of(parts).allMatch(Optional::isPresent);
    }
}
