package dev.siyu.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.memory.CallLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code --record DIR}: the raw record anyone can recheck the invariants from. calls.jsonl holds one
 * line per outbound WeCom call as it was received ({@code at}, {@code api}, {@code touch_id} when the
 * call carried one, {@code errcode} as WeCom answered, {@code body}); timeline.jsonl one line per
 * timeline event ({@code at}, {@code external_userid}, {@code kind}, {@code staff} when one is
 * involved, {@code details}); runs.jsonl one line per journey run at the end ({@code customer},
 * {@code external_userid}, {@code journey}, {@code run}, {@code status}, {@code pending},
 * {@code started_at}); touches.jsonl one line per touch record the caps count ({@code external_userid},
 * {@code id}, {@code at}, {@code channel}, {@code content}, {@code journey_step}); loads.jsonl one line
 * per routing pool and staff member ({@code pool}, {@code staff}, {@code active_customers}, {@code adds}
 * per day). Times are ISO-8601 with the tenant's offset. docs/faults.md describes the fields.
 */
public final class Recording {
    private Recording() {
    }

    public static void write(Path dir, Simulation sim) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        ZoneId zone = sim.config().timezone();
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("calls.jsonl"))) {
            for (CallLog.Call c : sim.calls()) {
                ObjectNode line = json.createObjectNode().put("at", c.at().atZone(zone).toOffsetDateTime().toString())
                        .put("api", c.api());
                if (c.touchId() != null) {
                    line.put("touch_id", c.touchId());
                }
                line.put("errcode", c.errcode());
                line.set("body", c.body());
                w.write(json.writeValueAsString(line));
                w.newLine();
            }
        }
        Map<String, String> ids = sim.customerIds();
        List<String[]> lines = new ArrayList<>();
        // Customers in id order and details in key order, so one seed writes one record byte for byte
        // (the timelines' map and the details' maps iterate in an order that changes between JVMs).
        for (Map.Entry<String, List<TimelineEvent>> e : new java.util.TreeMap<>(sim.timelines()).entrySet()) {
            for (TimelineEvent ev : e.getValue()) {
                ObjectNode line = json.createObjectNode().put("at", ev.at().atZone(zone).toOffsetDateTime().toString())
                        .put("external_userid", ids.get(e.getKey())).put("kind", ev.kind());
                if (ev.staffUserId() != null) {
                    line.put("staff", ev.staffUserId());
                }
                ObjectNode details = line.putObject("details");
                new java.util.TreeMap<>(ev.details()).forEach(details::put);
                lines.add(new String[] {ev.at().toString(), json.writeValueAsString(line)});
            }
        }
        lines.sort(Comparator.comparing((String[] l) -> l[0]));
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("timeline.jsonl"))) {
            for (String[] l : lines) {
                w.write(l[1]);
                w.newLine();
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("touches.jsonl"))) {
            for (Map.Entry<String, List<dev.siyu.core.port.TouchRecord>> e : sim.touchRecords().entrySet()) {
                List<dev.siyu.core.port.TouchRecord> records = new ArrayList<>(e.getValue());
                records.sort(Comparator.comparing(dev.siyu.core.port.TouchRecord::at)
                        .thenComparing(dev.siyu.core.port.TouchRecord::id));
                for (dev.siyu.core.port.TouchRecord t : records) {
                    ObjectNode line = json.createObjectNode().put("external_userid", e.getKey()).put("id", t.id())
                            .put("at", t.at().atZone(zone).toOffsetDateTime().toString()).put("channel", t.channel().name());
                    if (t.content() != null) {
                        line.put("content", t.content().name());
                    }
                    line.put("journey_step", t.journeyStep());
                    w.write(json.writeValueAsString(line));
                    w.newLine();
                }
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("loads.jsonl"))) {
            for (PoolLoadRecord l : sim.poolLoads()) {
                ObjectNode line = json.createObjectNode().put("pool", l.pool()).put("staff", l.staff())
                        .put("active_customers", l.activeCustomers());
                ObjectNode adds = line.putObject("adds");
                l.adds().forEach((day, n) -> adds.put(day.toString(), n));
                w.write(json.writeValueAsString(line));
                w.newLine();
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("runs.jsonl"))) {
            for (RunRecord r : sim.runs()) {
                ObjectNode line = json.createObjectNode().put("customer", r.customerId());
                if (r.externalUserId() != null) {
                    line.put("external_userid", r.externalUserId());
                }
                line.put("journey", r.journey()).put("run", r.runId()).put("status", r.status()).put("pending", r.pending())
                        .put("started_at", r.startedAt().atZone(zone).toOffsetDateTime().toString());
                w.write(json.writeValueAsString(line));
                w.newLine();
            }
        }
    }
}
