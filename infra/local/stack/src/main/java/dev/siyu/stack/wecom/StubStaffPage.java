package dev.siyu.stack.wecom;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.memory.rules.StaffPageRules;

/**
 * The stub's answers for the staff sidebar's two WeCom calls, auth/getuserinfo and ticket/get, by the same
 * {@link StaffPageRules} the in-memory API uses (each rule cites its WeCom page there).
 */
final class StubStaffPage {
    private final StubState state;
    private final StaffPageRules rules = new StaffPageRules();

    StubStaffPage(StubState state) {
        this.state = state;
    }

    StaffPageRules rules() {
        return rules;
    }

    String issueCode(String staffUserId) {
        if (staffUserId == null || staffUserId.isBlank()) {
            throw new IllegalArgumentException("userid is required");
        }
        return rules.issueCode(staffUserId, state.now());
    }

    /** auth/getuserinfo (document/path/91023): userid for a member, openid for anyone else; 40029 for a bad code. */
    ObjectNode userInfo(String code) {
        StaffPageRules.Identity id = rules.redeem(code, state.now());
        if (id.refusal() != null) {
            return state.error(id.refusal());
        }
        ObjectNode ok = state.ok();
        if (id.who().member()) {
            ok.put("userid", id.who().userId());
        } else {
            ok.put("openid", id.who().openId());
        }
        return ok;
    }

    /** ticket/get?type=agent_config (document/path/90506): ticket and expires_in. */
    ObjectNode ticket(String type) {
        StaffPageRules.Ticket t = rules.agentTicket(type, state.now());
        if (t.refusal() != null) {
            return state.error(t.refusal());
        }
        return state.ok().put("ticket", t.ticket()).put("expires_in", t.expiresIn());
    }
}
