package dev.siyu.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./siyu demo --json --record DIR} on the embedded stack with a small population: the guardrail
 * invariants hold, and the recorded calls say the same as the JSON when rechecked from the files.
 */
@Timeout(300)
class SimulationCommandTest {
    static final Path ROOT = Path.of("../../..").toAbsolutePath().normalize();

    @Test
    void aSmallDemoOnTheStackKeepsEveryGuardrailAndItsRecordAgrees(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // stdout is the process's, as for ./siyu demo --json > report.json: nothing but the document may land there
        PrintStream stdout = System.out;
        PrintStream captured = new PrintStream(out, true, StandardCharsets.UTF_8);
        int code;
        System.setOut(captured);
        try {
            code = Main.run(new String[] {"demo", "--customers", "40", "--days", "14", "--history", "35", "--json",
                    "--record", dir.toString()}, captured, new PrintStream(err, true, StandardCharsets.UTF_8), ROOT);
        } finally {
            System.setOut(stdout);
        }
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();

        JsonNode report = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        assertThat(report.fieldNames()).toIterable().contains("funnel", "success_metrics", "gate", "invariants");
        JsonNode inv = report.path("invariants");
        assertThat(inv.path("customers").asLong()).isEqualTo(40);
        assertThat(inv.path("touches_total").asLong()).isPositive();
        assertThat(inv.path("touches_after_delete").asLong()).isZero();
        assertThat(inv.path("touches_after_consent_withdrawal").asLong()).isZero();
        assertThat(inv.path("touches_outside_business_hours").asLong()).isZero();
        assertThat(inv.path("max_mass_messages_per_customer_month").asLong()).isBetween(1L, 4L);
        assertThat(inv.path("max_moments_posts_per_day").asLong()).isLessThanOrEqualTo(1);
        // Nothing lost or doubled, and nothing left waiting for ever: the record's own invariants.
        assertThat(inv.path("duplicate_touches").asLong()).isZero();
        assertThat(inv.path("stuck_runs").asLong()).isZero();
        assertThat(inv.path("missing_activation_runs").asLong()).isZero();
        assertThat(inv.path("touch_count_mismatches").asLong()).isZero();
        assertThat(inv.path("cap_count_mismatches").asLong()).isZero();
        assertThat(inv.path("pool_load_mismatches").asLong()).isZero();
        assertThat(Files.readAllLines(dir.resolve("runs.jsonl"))).isNotEmpty()
                .allMatch(l -> l.contains("\"pending\":\"") && l.contains("\"status\":\""));
        assertThat(report.path("funnel").path("channel_acquisition")).isNotEmpty();
        // The members went through the routes on the stack: WxJava to the Mini Program stub for jscode2session,
        // orders signed with config/local.env's source secrets, each member one customer with their WeCom contact.
        JsonNode members = report.path("members");
        assertThat(members.path("signed_in").asLong()).isPositive().isEqualTo(members.path("members").asLong());
        assertThat(members.path("wecom_linked").asLong()).isEqualTo(members.path("with_wecom_contact").asLong());
        assertThat(members.path("orders").path("accepted").asLong()).isEqualTo(members.path("orders").path("sent").asLong());
        for (String memberInvariant : List.of("orders_posted_more_than_once", "orders_accepted_without_points",
                "ledger_balance_mismatches", "negative_balances", "members_not_linked_to_wecom")) {
            assertThat(inv.path(memberInvariant).asLong()).as(memberInvariant).isZero();
        }
        assertThat(report.path("gate").path("ALLOW").asLong()).isPositive();

        // Recheck from the record alone: every customer-facing call inside 09:00-21:00 (welcomes exempt)
        List<String> calls = Files.readAllLines(dir.resolve("calls.jsonl"));
        List<String> timeline = Files.readAllLines(dir.resolve("timeline.jsonl"));
        assertThat(calls).isNotEmpty();
        assertThat(timeline).isNotEmpty();
        ObjectMapper json = new ObjectMapper();
        long outside = 0;
        long touches = 0;
        for (String line : calls) {
            JsonNode c = json.readTree(line);
            String api = c.path("api").asText();
            // A touch is a call WeCom accepted; the record keeps the refused ones with their errcode.
            if (c.path("errcode").asInt() != 0) {
                continue;
            }
            if (!api.equals("externalcontact/add_msg_template") && !api.equals("externalcontact/add_moment_task")
                    && !api.equals("externalcontact/send_welcome_msg")) {
                continue;
            }
            long n = api.equals("externalcontact/add_msg_template") && c.path("body").path("chat_type").asText().equals("single")
                    ? c.path("body").path("external_userid").size() : 1;
            touches += Math.max(1, n);
            LocalTime at = OffsetDateTime.parse(c.path("at").asText()).toLocalTime();
            boolean open = !at.isBefore(LocalTime.of(9, 0)) && at.isBefore(LocalTime.of(21, 0));
            if (!open && !api.equals("externalcontact/send_welcome_msg")) {
                outside += n;
            }
        }
        // A staff member's 1-on-1 message sent from the sidebar's desk is a touch too (not a call the suite makes)
        for (String line : timeline) {
            JsonNode e = json.readTree(line);
            if (e.path("kind").asText().equals("staff_message_sent")) {
                touches++;
                LocalTime at = OffsetDateTime.parse(e.path("at").asText()).toLocalTime();
                if (at.isBefore(LocalTime.of(9, 0)) || !at.isBefore(LocalTime.of(21, 0))) {
                    outside++;
                }
            }
        }
        assertThat(touches).isEqualTo(inv.path("touches_total").asLong());
        assertThat(outside).isZero();
        assertThat(timeline).anyMatch(l -> l.contains("\"kind\":\"contact_added\""));
    }
}
