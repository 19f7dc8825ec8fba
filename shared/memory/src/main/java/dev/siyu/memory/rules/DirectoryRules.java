package dev.siyu.memory.rules;

import dev.siyu.core.port.WeComApi.Department;
import dev.siyu.core.port.WeComApi.DepartmentMember;
import dev.siyu.core.port.WeComApi.Member;
import dev.siyu.core.port.WeComApi.MemberIdPage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A corp directory (通讯录) and what WeCom checks when it is read, shared by the in-memory API and the local
 * stack's stub so the two cannot drift. Each rule names its WeCom documentation page:
 * <ul>
 *   <li>Only the contacts secret (通讯录同步 secret) may read it. user/list_id: "仅支持通过“通讯录同步secret”调用"
 *       (获取成员ID列表, https://developer.work.weixin.qq.com/document/path/96067); an app's token is answered
 *       48009 (api forbidden, 全局错误码 https://developer.work.weixin.qq.com/document/path/90313). department/list
 *       and user/get with an app's token reach only the app's visible range; this corp's customer-contact app sees
 *       no department, so they answer 60011 (no privilege to access/modify contact/party/agent, same page).</li>
 *   <li>user/list_id pages by cursor: cursor empty on the first call, limit 1 to 10,000, next_cursor empty on the
 *       last page, one dept_user line per member and department (page 96067). A limit outside the range is
 *       40058 (不合法的参数, page 90313); a cursor this directory never issued too.</li>
 *   <li>user/get of a userid not in the directory (never there, or deleted when they left): 60111 (UserID不存在,
 *       page 90313). status: 1 activated, 2 disabled, 4 not activated, 5 left (读取成员,
 *       https://developer.work.weixin.qq.com/document/path/90196).</li>
 *   <li>department/list without id: every department, the root's parentid 0 (获取部门列表,
 *       https://developer.work.weixin.qq.com/document/path/90208).</li>
 * </ul>
 */
public final class DirectoryRules {
    public static final int API_FORBIDDEN = 48009;
    public static final int NO_PRIVILEGE = 60011;
    public static final int USERID_NOT_FOUND = 60111;
    public static final int INVALID_PARAMETER = WeComRules.INVALID_PARAMETER;
    public static final int MIN_LIMIT = 1;
    public static final int MAX_LIMIT = 10_000;
    private static final String CURSOR_PREFIX = "c";

    private final Map<Long, Department> departments = new LinkedHashMap<>();
    private final Map<String, Member> members = new LinkedHashMap<>();

    /** A directory with the root department (id 1), as every corp has. */
    public DirectoryRules() {
        reset();
    }

    public synchronized void reset() {
        departments.clear();
        members.clear();
        departments.put(1L, new Department(1, "Company", 0));
    }

    public synchronized void department(Department d) {
        departments.put(d.id(), d);
    }

    /** Adds or replaces a member (a changed status, say). */
    public synchronized void member(Member m) {
        members.put(m.userId(), m);
    }

    /** The member is deleted from the directory, as an admin does when someone leaves. */
    public synchronized boolean remove(String userId) {
        return members.remove(userId) != null;
    }

    public synchronized List<Member> members() {
        return List.copyOf(members.values());
    }

    /** A refusal of a directory call made with a token that is not the contacts secret's; null for the contacts token. */
    public static Refusal token(String api, boolean contactsToken) {
        if (contactsToken) {
            return null;
        }
        if (api.equals("user/list_id")) {
            return new Refusal(API_FORBIDDEN, "api forbidden: user/list_id takes the contacts secret's access_token");
        }
        return new Refusal(NO_PRIVILEGE, "no privilege to access/modify contact/party/agent");
    }

    public synchronized List<Department> departments() {
        return List.copyOf(departments.values());
    }

    /** One page of user/list_id, or the refusal. */
    public record Page(Refusal refusal, MemberIdPage page) { }

    public synchronized Page memberIds(String cursor, int limit) {
        if (limit < MIN_LIMIT || limit > MAX_LIMIT) {
            return new Page(new Refusal(INVALID_PARAMETER, "limit must be " + MIN_LIMIT + " to " + MAX_LIMIT
                    + ", was " + limit), null);
        }
        List<DepartmentMember> lines = new ArrayList<>();
        for (Member m : members.values()) {
            for (Long d : m.departments()) {
                lines.add(new DepartmentMember(m.userId(), d));
            }
        }
        int from = 0;
        if (cursor != null && !cursor.isEmpty()) {
            try {
                from = Integer.parseInt(cursor.substring(CURSOR_PREFIX.length()));
            } catch (RuntimeException e) {
                from = -1;
            }
            if (!cursor.startsWith(CURSOR_PREFIX) || from < 0 || from > lines.size()) {
                return new Page(new Refusal(INVALID_PARAMETER, "invalid cursor"), null);
            }
        }
        int to = Math.min(lines.size(), from + limit);
        String next = to < lines.size() ? CURSOR_PREFIX + to : "";
        return new Page(null, new MemberIdPage(lines.subList(from, to), next));
    }

    /** user/get's member, or the refusal. */
    public record Found(Refusal refusal, Member member) { }

    public synchronized Found get(String userId) {
        Member m = userId == null ? null : members.get(userId);
        if (m == null) {
            return new Found(new Refusal(USERID_NOT_FOUND, "userid not found: " + userId), null);
        }
        return new Found(null, m);
    }
}
