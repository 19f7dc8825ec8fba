package dev.siyu.core.profile;

import java.time.Instant;

/**
 * The customer's friendship with one staff member. Once ended (either side deleted the other),
 * the relationship is suppressed: nothing may reach the customer through it again (seed red line).
 */
public record StaffRelationship(String staffUserId, Status status, String state, Instant since, Instant endedAt,
                                EndedBy endedBy) {

    public enum Status { ACTIVE, PENDING, ENDED }

    public enum EndedBy { CUSTOMER, STAFF }

    public static StaffRelationship started(String staffUserId, String state, Instant at, boolean pending) {
        return new StaffRelationship(staffUserId, pending ? Status.PENDING : Status.ACTIVE, state, at, null, null);
    }

    public StaffRelationship ended(Instant at, EndedBy by) {
        return new StaffRelationship(staffUserId, Status.ENDED, state, since, at, by);
    }

    /** True when outreach through this relationship is forbidden. */
    public boolean suppressed() {
        return status == Status.ENDED;
    }
}
