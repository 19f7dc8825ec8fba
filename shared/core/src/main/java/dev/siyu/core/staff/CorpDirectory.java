package dev.siyu.core.staff;

import dev.siyu.core.port.WeComApi.Department;
import dev.siyu.core.port.WeComApi.Member;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What WeCom's directory said about the corp at one read: its departments, every member user/list_id listed
 * (with their departments), and user/get's answer for the members the blueprint names.
 *
 * @param listed  userid -> the departments user/list_id listed them in
 * @param details user/get's member for each blueprint member that user/list_id listed
 * @param pages   user/list_id pages read
 */
public record CorpDirectory(List<Department> departments, Map<String, Set<Long>> listed, Map<String, Member> details,
                            int pages) {
    public CorpDirectory {
        departments = List.copyOf(departments);
        listed = Map.copyOf(listed);
        details = Map.copyOf(details);
    }

    /** How a blueprint member stands in the directory. */
    public enum Standing {
        /** Activated (user/get status 1): may serve customers. */
        ACTIVE,
        /** Invited, not activated yet (status 4): WeCom gives them no customers until they are. */
        NOT_ACTIVATED,
        /** Disabled by an admin (status 2). */
        DISABLED,
        /** Left the company (status 5). */
        LEFT,
        /** Not in the directory at all (user/list_id does not list them). */
        NOT_IN_DIRECTORY;

        /** The member cannot serve customers any more: offboarding hands their customers and groups on. */
        public boolean gone() {
            return this == DISABLED || this == LEFT || this == NOT_IN_DIRECTORY;
        }

        /** The reason word a departure is marked with. */
        public String reason() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Standing standing(String userId) {
        if (!listed.containsKey(userId)) {
            return Standing.NOT_IN_DIRECTORY;
        }
        Member m = details.get(userId);
        if (m == null) {
            return Standing.NOT_IN_DIRECTORY;
        }
        switch (m.status()) {
            case Member.DISABLED:
                return Standing.DISABLED;
            case Member.LEFT:
                return Standing.LEFT;
            case Member.NOT_ACTIVATED:
                return Standing.NOT_ACTIVATED;
            default:
                return Standing.ACTIVE;
        }
    }

    /** The names of the departments the member is in, as the operator sees them in WeCom's admin console. */
    public List<String> departmentNames(String userId) {
        Set<Long> ids = listed.getOrDefault(userId, Set.of());
        return departments.stream().filter(d -> ids.contains(d.id())).map(Department::name).toList();
    }

    public Optional<Member> member(String userId) {
        return Optional.ofNullable(details.get(userId));
    }
}
