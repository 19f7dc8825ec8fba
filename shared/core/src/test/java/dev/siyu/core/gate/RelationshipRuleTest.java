package dev.siyu.core.gate;

import static dev.siyu.core.gate.Fixtures.CUSTOMER;
import static dev.siyu.core.gate.Fixtures.GATE;
import static dev.siyu.core.gate.Fixtures.LONG_AGO;
import static dev.siyu.core.gate.Fixtures.OTHER_STAFF;
import static dev.siyu.core.gate.Fixtures.STAFF;
import static dev.siyu.core.gate.Fixtures.customer;
import static dev.siyu.core.gate.Fixtures.privateMessage;
import static dev.siyu.core.gate.Fixtures.tuesdayMorning;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.profile.StaffRelationship;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Red line: a customer who deleted the staff member or left the group is never contacted through it again. */
class RelationshipRuleTest {
    private static final Instant ENDED = Instant.parse("2024-02-01T08:00:00Z");

    private static CustomerState deletedBy(StaffRelationship.EndedBy by) {
        return customer().withRelationship(StaffRelationship.started(STAFF, "s", LONG_AGO, false).ended(ENDED, by));
    }

    @Test
    void customerWhoDeletedTheStaffMemberIsDropped() {
        Decision d = GATE.decide(deletedBy(StaffRelationship.EndedBy.CUSTOMER), privateMessage(ContentClass.VALUE),
                tuesdayMorning());
        assertThat(d.kind()).isEqualTo(Decision.Kind.DROP);
        assertThat(d.rule()).isEqualTo(Rule.RELATIONSHIP);
        assertThat(d.reason()).isEqualTo("the friendship with zhangsan ended at 2024-02-01T08:00:00Z"
                + " (the customer deleted zhangsan); the customer is never contacted through it again");
    }

    @Test
    void customerTheStaffMemberDeletedIsDroppedToo() {
        Decision d = GATE.decide(deletedBy(StaffRelationship.EndedBy.STAFF), privateMessage(ContentClass.VALUE),
                tuesdayMorning());
        assertThat(d.rule()).isEqualTo(Rule.RELATIONSHIP);
        assertThat(d.reason()).contains("(zhangsan deleted the customer)");
    }

    @Test
    void anotherStaffMembersActiveFriendshipStillCarriesTouches() {
        CustomerState state = deletedBy(StaffRelationship.EndedBy.CUSTOMER)
                .withRelationship(StaffRelationship.started(OTHER_STAFF, "s", LONG_AGO, false));
        assertThat(GATE.decide(state, Touch.privateMessage(CUSTOMER, OTHER_STAFF, ContentClass.VALUE), tuesdayMorning())
                .allowed()).isTrue();
    }

    @Test
    void noFriendshipWithThatStaffMemberIsDropped() {
        Decision d = GATE.decide(customer(), Touch.privateMessage(CUSTOMER, OTHER_STAFF, ContentClass.VALUE),
                tuesdayMorning());
        assertThat(d.rule()).isEqualTo(Rule.RELATIONSHIP);
        assertThat(d.reason()).isEqualTo("the customer is not a contact of lisi;"
                + " a touch cannot go through a friendship that does not exist");
    }

    @Test
    void pendingFriendRequestIsDropped() {
        CustomerState state = customer().withRelationship(StaffRelationship.started(STAFF, "s", LONG_AGO, true));
        Decision d = GATE.decide(state, privateMessage(ContentClass.VALUE), tuesdayMorning());
        assertThat(d.kind()).isEqualTo(Decision.Kind.DROP);
        assertThat(d.rule()).isEqualTo(Rule.RELATIONSHIP);
    }

    @Test
    void customerWhoLeftAGroupGetsNothingThroughThatGroup() {
        CustomerState state = customer().withLeftGroup("g-1");
        Decision message = GATE.decide(state, Touch.groupMessage(CUSTOMER, "g-1", ContentClass.VALUE), tuesdayMorning());
        Decision invite = GATE.decide(state, Touch.groupInvite(CUSTOMER, STAFF, "g-1"), tuesdayMorning());
        assertThat(message.kind()).isEqualTo(Decision.Kind.DROP);
        assertThat(message.rule()).isEqualTo(Rule.RELATIONSHIP);
        assertThat(message.reason()).isEqualTo("the customer left group g-1; they are never contacted through it again");
        assertThat(invite.rule()).isEqualTo(Rule.RELATIONSHIP);
    }

    @Test
    void leavingOneGroupDoesNotCloseAnother() {
        CustomerState state = customer().withLeftGroup("g-1");
        assertThat(GATE.decide(state, Touch.groupMessage(CUSTOMER, "g-2", ContentClass.VALUE), tuesdayMorning())
                .allowed()).isTrue();
    }

    @Test
    void touchNotTiedToAStaffMemberNeedsSomeActiveFriendship() {
        CustomerState alone = deletedBy(StaffRelationship.EndedBy.CUSTOMER);
        Touch moments = new Touch(CUSTOMER, null, Channel.MOMENTS_POST, ContentClass.VALUE, false, null, false, false,
                false, null, false);
        Decision d = GATE.decide(alone, moments, tuesdayMorning());
        assertThat(d.rule()).isEqualTo(Rule.RELATIONSHIP);
        assertThat(d.reason()).isEqualTo("the customer has no active contact with any staff member");
        assertThat(GATE.decide(customer(), moments, tuesdayMorning()).allowed()).isTrue();
    }

    @Test
    void relationshipIsCheckedBeforeConsent() {
        CustomerState state = deletedBy(StaffRelationship.EndedBy.CUSTOMER).withConsent(Consent.NONE);
        assertThat(GATE.decide(state, privateMessage(ContentClass.PROMOTIONAL), tuesdayMorning()).rule())
                .isEqualTo(Rule.RELATIONSHIP);
    }
}
