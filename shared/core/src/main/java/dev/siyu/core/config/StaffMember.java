package dev.siyu.core.config;

import java.util.List;

/**
 * A WeCom member who receives customers; dailyAddLimit is the friend-add cap the platform tolerates.
 *
 * @param roles what else the member does besides receiving customers, e.g. {@value #SENIOR_ADVISOR}: a
 *              {@code senior: true} staff task of their pool goes to them
 */
public record StaffMember(String userId, String name, List<String> pools, int dailyAddLimit, List<String> roles) {
    /** Takes the {@code senior: true} staff tasks (churn follow-ups) of the pools the member is in. */
    public static final String SENIOR_ADVISOR = "senior_advisor";
    /** Every role a blueprint may give; anything else is a typo reported at its line. */
    public static final List<String> ROLES = List.of(SENIOR_ADVISOR);

    public StaffMember {
        pools = List.copyOf(pools);
        roles = List.copyOf(roles);
    }

    public StaffMember(String userId, String name, List<String> pools, int dailyAddLimit) {
        this(userId, name, pools, dailyAddLimit, List.of());
    }

    public boolean seniorAdvisor() {
        return roles.contains(SENIOR_ADVISOR);
    }
}
