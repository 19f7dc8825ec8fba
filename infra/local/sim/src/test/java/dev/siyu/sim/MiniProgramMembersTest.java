package dev.siyu.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.conditions.CelConditionCompiler;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The demo's members drive the product through the production routes (/miniapp/*, /ingest/orders): what a member
 * did shows where the product shows it (the profile, the timeline, the ledger), and the members' invariants hold.
 */
class MiniProgramMembersTest {

    @Test
    void membersSignInConsentOrderRedeemSubscribeAndCheckInThroughTheRoutesAsOneCustomerWithTheirWeComContact() {
        CelConditionCompiler cel = new CelConditionCompiler();
        ScrmConfig config = new ConfigLoader(cel).load(SimulationTest.EXAMPLE);
        Instant start = Instant.parse("2026-11-01T00:00:00Z");
        Simulation sim = MemoryWorld.create(config, cel, new Simulation.Settings(120, 30, 5), start);
        sim.setUp(MemoryWorld.groups(config, 120, start));
        sim.run(p -> { });
        Report report = Report.of(sim, Duration.ZERO);
        JsonNode m = report.json().path("members");

        assertThat(report.violations(sim)).isEmpty();
        assertThat(m.path("members").asLong()).isBetween(60L, 115L);
        assertThat(m.path("signed_in").asLong()).isEqualTo(m.path("members").asLong());
        // Every member is also a WeCom contact here, and each is one customer with it.
        assertThat(m.path("with_wecom_contact").asLong()).isEqualTo(m.path("members").asLong());
        assertThat(m.path("wecom_linked").asLong()).isEqualTo(m.path("with_wecom_contact").asLong());
        assertThat(m.path("consents_granted").path("marketing").asLong()).isPositive();
        assertThat(m.path("orders").path("sent").asLong()).isPositive()
                .isEqualTo(m.path("orders").path("accepted").asLong());
        assertThat(m.path("points").path("earned").asLong()).isPositive();
        assertThat(m.path("redemptions").path("posted").asLong()).isPositive();
        assertThat(m.path("events").path("recorded").asLong()).isEqualTo(m.path("events").path("sent").asLong())
                .isPositive();
        report.memberInvariants().forEach((name, n) -> assertThat(n).as(name).isZero());
        // Subscriptions are answered in the Mini Program and reported through its route; in-store members show
        // their member code at the till and their advisor, signed in with WeCom's OAuth, checks them in.
        assertThat(m.path("subscriptions").path("accepted").asLong()).isPositive();
        assertThat(m.path("store_visits").path("checked_in").asLong()).isPositive()
                .isEqualTo(m.path("store_visits").path("member_codes_shown").asLong());

        // What an operator sees on one member: both accounts on one profile, the Mini Program's consent and visits
        // and the source's purchase on its timeline, the points on the profile.
        Map<String, String> ids = sim.customerIds();
        List<CustomerProfile> members = ids.keySet().stream()
                .map(id -> sim.ports().customers().profile(config.tenant(), id).orElseThrow())
                .filter(p -> p.identities().containsKey(IdentityType.OPENID.key())).toList();
        assertThat(members).hasSize((int) m.path("members").asLong()).allSatisfy(p -> assertThat(p.identities())
                .containsKeys(IdentityType.EXTERNAL_USERID.key(), IdentityType.UNIONID.key()));
        List<TimelineEvent> events = sim.timelines().values().stream().flatMap(List::stream).toList();
        assertThat(events).filteredOn(e -> e.kind().equals("consent_granted"))
                .isNotEmpty().allSatisfy(e -> assertThat(e.details()).containsEntry("channel", "miniapp"));
        assertThat(events).filteredOn(e -> e.kind().equals("interacted") && "miniapp".equals(e.details().get("channel")))
                .isNotEmpty();
        assertThat(events).filteredOn(e -> e.kind().equals("purchase")).isNotEmpty()
                .allSatisfy(e -> assertThat(e.details()).containsKey("order_id"));
        assertThat(events).filteredOn(e -> e.kind().equals("subscription_answered")).isNotEmpty();
        assertThat(events).filteredOn(e -> e.kind().equals("store_visit"))
                .hasSize((int) m.path("store_visits").path("checked_in").asLong())
                .allSatisfy(e -> assertThat(e.staffUserId()).isNotNull());
        // Everyone's balance, members' and the POS's other customers' (named by external_userid), is what the
        // ledger earned less what it spent, reversed and expired.
        long balances = ids.keySet().stream().mapToLong(id -> sim.ports().customers().profile(config.tenant(), id)
                .orElseThrow().activity().points().balance()).sum();
        assertThat(balances).isEqualTo(m.path("points").path("earned").asLong() - m.path("points").path("redeemed").asLong()
                - m.path("points").path("reversed_by_refunds").asLong() - m.path("points").path("expired").asLong());
    }
}
