package dev.siyu.sim;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.desk.DeskTask;
import dev.siyu.core.desk.StaffDesk;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The simulated staff at their desk: during business hours each member looks at their open tasks and sends each
 * one a while after it appeared (10 minutes to 4 hours of their working time), except the share they never get
 * to, which expire. A task whose customer crossed a red line since (deleted them, withdrew consent) is refused
 * by the desk's claim and dismissed. Every click goes through the sidebar's routes as the page makes them
 * ({@code POST /sidebar/api/tasks/{id}/claim}, then {@code /sent}; or {@code /dismiss}), the production entry point; only the list of open tasks, what the app message announcing each
 * task tells the member, is read from the desk itself.
 */
final class StaffAtDesk {
    /** The share of tasks a staff member gets to; the rest expire on the desk. */
    static final double SENDS = 0.85;
    static final Duration LOOK_EVERY = Duration.ofMinutes(30);
    private static final Duration MIN_DELAY = Duration.ofMinutes(10);
    private static final Duration MAX_DELAY = Duration.ofHours(4);

    private final ScrmConfig config;
    private final Random random;
    /** Task id -> when its staff member sends it; Instant.MAX: never (it will expire). */
    private final Map<String, Instant> plans = new HashMap<>();
    /**
     * Clicks that failed (the function errored or died), by task: the sidebar shows the error and the member
     * clicks again on the next look, whether or not the task still shows as open (the close may have been written).
     */
    private final Map<String, DeskTask> unfinished = new java.util.LinkedHashMap<>();
    private long refused;

    StaffAtDesk(ScrmConfig config, long seed) {
        this.config = config;
        this.random = new Random(seed);
    }

    /** A click in the sidebar: the route after {@code /sidebar/api/} as the staff member, answering its HTTP status. */
    interface Sidebar {
        int click(String staffUserId, String route);
    }

    /** One look at every member's desk; returns the tasks sent now, for the customers to react to. */
    List<DeskTask> work(StaffDesk desk, Sidebar sidebar, Instant now) {
        List<DeskTask> sent = new ArrayList<>();
        if (!config.guardrails().businessHours().isOpen(now, config.timezone())) {
            return sent;
        }
        for (DeskTask again : List.copyOf(unfinished.values())) {
            send(sidebar, again, sent, true);
        }
        for (StaffMember member : config.staff()) {
            for (DeskTask task : desk.open(config.tenant(), member.userId(), null, now)) {
                Instant when = plans.computeIfAbsent(task.id(), id -> random.nextDouble() < SENDS
                        ? task.createdAt().plus(delay()) : Instant.MAX);
                if (!now.isBefore(when) && !unfinished.containsKey(task.id())) {
                    send(sidebar, task, sent, false);
                }
            }
        }
        return sent;
    }

    /** @param again a click that failed before: the customer may have the message already, so no new reaction */
    private void send(Sidebar sidebar, DeskTask task, List<DeskTask> sent, boolean again) {
        // Marked before the click: a click the function failed (or died in) is clicked again next time.
        unfinished.put(task.id(), task);
        String route = "tasks/" + java.net.URLEncoder.encode(task.id(), java.nio.charset.StandardCharsets.UTF_8);
        // As the page: claimed first (the server checks red lines and expiry), then sent from the chat, then marked.
        int status = again ? 200 : sidebar.click(task.staffUserId(), route + "/claim");
        if (status == 200) {
            status = sidebar.click(task.staffUserId(), route + "/sent");
        }
        if (status >= 500) {
            return;
        }
        if (status == 200) {
            if (!again) {
                sent.add(task);
            }
        } else {
            // 409 red_line: the sidebar shows why and the member closes the task rather than message the customer;
            // 409 task_closed, 403, 404: nothing left to send.
            refused++;
            if (status == 409 && sidebar.click(task.staffUserId(), route + "/dismiss") >= 500) {
                return;
            }
        }
        unfinished.remove(task.id());
    }

    /** Tasks the desk refused to mark sent (a red line crossed since the task was made, or it closed first). */
    long refused() {
        return refused;
    }

    private Duration delay() {
        long span = MAX_DELAY.minus(MIN_DELAY).toMinutes();
        return MIN_DELAY.plusMinutes((long) (random.nextDouble() * span));
    }
}
