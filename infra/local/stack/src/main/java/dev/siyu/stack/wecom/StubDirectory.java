package dev.siyu.stack.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.port.WeComApi.Department;
import dev.siyu.core.port.WeComApi.DepartmentMember;
import dev.siyu.core.port.WeComApi.Member;
import dev.siyu.memory.rules.DirectoryFile;
import dev.siyu.memory.rules.DirectoryRules;
import dev.siyu.memory.rules.Refusal;
import java.nio.file.Path;
import java.util.Map;

/**
 * The stub's corp directory: department/list, user/list_id and user/get as WeCom answers them, by the same
 * {@link DirectoryRules} the in-memory API uses (each rule with its WeCom page there): only a token issued for the
 * contacts secret reads it (48009 for user/list_id, 60011 for the others otherwise), user/list_id pages by cursor
 * with a limit of 1 to 10,000, an unknown userid is 60111.
 */
public final class StubDirectory {
    private final StubState state;
    private final ObjectMapper json;
    private final DirectoryRules rules = new DirectoryRules();

    StubDirectory(StubState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    /** The corp's contacts (通讯录同步) secret: tokens gettoken issues for it read the directory. */
    public StubDirectory contactsSecret(String secret) {
        state.contactsSecret(secret);
        return this;
    }

    /** Adds the departments and members of a directory file (config/local-directory.yaml). */
    public StubDirectory load(Path file) {
        DirectoryFile.load(file, rules);
        return this;
    }

    public StubDirectory department(long id, String name, long parentId) {
        rules.department(new Department(id, name, parentId));
        return this;
    }

    /** Adds a member, or changes one (a status of 2 disables them, 5 says they left). */
    public StubDirectory member(String userId, String name, int status, Long... departments) {
        rules.member(new Member(userId, name, departments.length == 0 ? java.util.List.of(1L)
                : java.util.List.of(departments), status));
        return this;
    }

    /**
     * The member leaves and is deleted from the directory, as an admin does in WeCom: user/list_id no longer
     * lists them, user/get answers 60111, and their customers wait on get_unassigned_list. Returns how many
     * customers they left behind.
     */
    public int leave(String userId) {
        rules.remove(userId);
        return state.memberLeft(userId);
    }

    public java.util.List<Member> members() {
        return rules.members();
    }

    void reset() {
        rules.reset();
    }

    /** The answer for one directory call, or null when api is not one. */
    ObjectNode handle(String api, String token, Map<String, String> query, JsonNode body) {
        if (!api.equals("department/list") && !api.equals("user/list_id") && !api.equals("user/get")) {
            return null;
        }
        Refusal refused = DirectoryRules.token(api, state.contactsToken(token));
        if (refused != null) {
            return state.error(refused.errcode(), refused.errmsg());
        }
        switch (api) {
            case "department/list":
                return departments(query.get("id"));
            case "user/list_id":
                return memberIds(body);
            default:
                return member(query.get("userid"));
        }
    }

    private ObjectNode departments(String id) {
        Long only = null;
        if (id != null && !id.isBlank()) {
            try {
                only = Long.parseLong(id.trim());
            } catch (NumberFormatException e) {
                return state.error(DirectoryRules.INVALID_PARAMETER, "invalid department id: " + id);
            }
        }
        ObjectNode ok = state.ok();
        ArrayNode out = ok.putArray("department");
        for (Department d : rules.departments()) {
            // With an id: that department and the ones directly below it (the stub goes one level down).
            if (only != null && d.id() != only && d.parentId() != only) {
                continue;
            }
            out.addObject().put("id", d.id()).put("name", d.name()).put("parentid", d.parentId()).put("order", 0);
        }
        return ok;
    }

    private ObjectNode memberIds(JsonNode body) {
        String cursor = body.path("cursor").asText("");
        // WxJava sends the limit it is given; WeCom's default when absent is not documented, the stub uses the maximum.
        int limit = body.has("limit") ? body.path("limit").asInt() : DirectoryRules.MAX_LIMIT;
        DirectoryRules.Page page = rules.memberIds(cursor, limit);
        if (page.refusal() != null) {
            return state.error(page.refusal().errcode(), page.refusal().errmsg());
        }
        ObjectNode ok = state.ok();
        ok.put("next_cursor", page.page().nextCursor() == null ? "" : page.page().nextCursor());
        ArrayNode lines = ok.putArray("dept_user");
        for (DepartmentMember m : page.page().members()) {
            lines.addObject().put("userid", m.userId()).put("department", m.department());
        }
        return ok;
    }

    private ObjectNode member(String userId) {
        DirectoryRules.Found found = rules.get(userId);
        if (found.refusal() != null) {
            return state.error(found.refusal().errcode(), found.refusal().errmsg());
        }
        Member m = found.member();
        ObjectNode ok = state.ok();
        ok.put("userid", m.userId()).put("name", m.name()).put("status", m.status())
                .put("enable", m.status() == Member.DISABLED ? 0 : 1);
        ArrayNode ds = ok.putArray("department");
        m.departments().forEach(ds::add);
        ok.put("main_department", m.departments().isEmpty() ? 1 : m.departments().get(0));
        return ok;
    }
}
