package dev.siyu.sim.outreach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.Decision;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.gate.Rule;
import dev.siyu.core.gate.Touch;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.time.Ids;
import dev.siyu.memory.MemoryDecisionCounts;
import dev.siyu.memory.MemoryOutreachCounters;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A group message from a journey is measured against the group's own 70/30 window, the one the SOP
 * calendar fills, and once sent it counts in that window.
 */
class GroupWindowTest {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final Instant TUESDAY_10 = Instant.parse("2026-11-03T02:00:00Z");
    static final String CHAT = "wrPerks01";

    final MemoryOutreachCounters counters = new MemoryOutreachCounters();
    final Outreach outreach = new Outreach(new OutreachGate(Guardrails.DEFAULTS, SHANGHAI), Guardrails.DEFAULTS, counters,
            new MemoryDecisionCounts(), SHANGHAI, new Ids());

    static CustomerProfile member() {
        CustomerProfile p = new CustomerProfile("t", "wx-m1", "M1", "", "livestream_qr", "Livestream QR Code", null, null,
                Set.of(), Map.of("wangwu", StaffRelationship.started("wangwu", "livestream_qr", TUESDAY_10, false)),
                Map.of(IdentityType.EXTERNAL_USERID.key(), "m1"), TUESDAY_10, TUESDAY_10);
        return p.withActivity(p.activity().consentGranted(TUESDAY_10).joinedGroup(CHAT, "Welcome Perks Group"), TUESDAY_10);
    }

    @Test
    void aPromotionIsDroppedWhenTheGroupsWindowIsAlreadyAtItsShare() {
        // GIVEN the group's latest ten posts hold three promotions (the SOP calendar's and journeys' alike)
        for (int i = 0; i < 7; i++) {
            outreach.postedToGroup("t", CHAT, ContentClass.VALUE, TUESDAY_10);
        }
        for (int i = 0; i < 3; i++) {
            outreach.postedToGroup("t", CHAT, ContentClass.PROMOTIONAL, TUESDAY_10);
        }
        // WHEN a journey asks to post another promotion to the group
        Decision promo = outreach.ask(member(), Touch.groupMessage("wx-m1", CHAT, ContentClass.PROMOTIONAL), TUESDAY_10,
                "group_message_drafted", Map.of()).decision();
        Decision value = outreach.ask(member(), Touch.groupMessage("wx-m1", CHAT, ContentClass.VALUE), TUESDAY_10,
                "group_message_drafted", Map.of()).decision();

        // THEN the promotion is dropped for the content mix, value content still goes
        assertThat(promo.rule()).isEqualTo(Rule.CONTENT_MIX);
        assertThat(value.allowed()).isTrue();
    }

    @Test
    void aSentGroupMessageCountsInTheGroupsWindowNotTheMembers() {
        Touch post = Touch.groupMessage("wx-m1", CHAT, ContentClass.PROMOTIONAL);
        outreach.sent("t", post, TUESDAY_10);
        assertThat(outreach.groupMix("t", CHAT, TUESDAY_10).promotional()).isEqualTo(1);
        assertThat(outreach.state(member(), TUESDAY_10).mix().promotional()).isZero();
    }
}
