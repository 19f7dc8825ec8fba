package dev.siyu.core.staff;

import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.DepartmentMember;
import dev.siyu.core.port.WeComApi.Member;
import dev.siyu.core.port.WeComApi.MemberIdPage;
import dev.siyu.core.port.WeComApiException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads WeCom's directory for a set of staff members: department/list once, user/list_id page after page (every
 * member of the corp, so a userid it does not list is not in the corp), then user/get for each named member it
 * lists, for their status. One user/get per blueprint member, not per corp member: a corp has thousands.
 */
public final class DirectoryReader {
    /** user/list_id's maximum page. */
    public static final int MAX_PAGE = 10_000;

    private final WeComApi wecom;
    private final int pageSize;

    public DirectoryReader(WeComApi wecom) {
        this(wecom, MAX_PAGE);
    }

    /** @param pageSize user/list_id's limit, 1 to 10,000 */
    public DirectoryReader(WeComApi wecom, int pageSize) {
        if (pageSize < 1 || pageSize > MAX_PAGE) {
            throw new IllegalArgumentException("pageSize must be 1.." + MAX_PAGE + ", was " + pageSize);
        }
        this.wecom = wecom;
        this.pageSize = pageSize;
    }

    public CorpDirectory read(Collection<String> staffUserIds) {
        var departments = wecom.departments();
        Map<String, Set<Long>> listed = new LinkedHashMap<>();
        String cursor = null;
        int pages = 0;
        Set<String> cursorsSeen = new TreeSet<>();
        while (true) {
            MemberIdPage page = wecom.memberIds(cursor, pageSize);
            pages++;
            for (DepartmentMember m : page.members()) {
                listed.computeIfAbsent(m.userId(), k -> new LinkedHashSet<>()).add(m.department());
            }
            if (page.last()) {
                break;
            }
            // A cursor that comes round again would page forever; WeCom never does that, a broken proxy might.
            if (!cursorsSeen.add(page.nextCursor())) {
                throw new WeComApiException(-1, "user/list_id answered a next_cursor it answered before", null);
            }
            cursor = page.nextCursor();
        }
        Map<String, Member> details = new LinkedHashMap<>();
        for (String userId : new LinkedHashSet<>(staffUserIds)) {
            if (!listed.containsKey(userId)) {
                continue;
            }
            try {
                details.put(userId, wecom.member(userId));
            } catch (WeComApiException e) {
                // Listed a moment ago, gone now: they are not in the directory.
                if (e.errcode() != WeComApi.UNKNOWN_USERID) {
                    throw e;
                }
                listed.remove(userId);
            }
        }
        return new CorpDirectory(departments, listed, details, pages);
    }
}
