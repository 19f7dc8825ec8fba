package dev.siyu.core.schedule;

import static dev.siyu.core.schedule.Blueprint.TENANT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.port.WeComApi.Unassigned;
import dev.siyu.core.profile.CustomerLookup;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.StaffRelationship.EndedBy;
import dev.siyu.core.profile.StaffRelationship.Status;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import dev.siyu.core.port.TransferLedger;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.MemoryStaffLoadStore;
import dev.siyu.memory.MemoryTenantLog;
import dev.siyu.memory.MemoryTransferLedger;
import dev.siyu.memory.RecordingWeComApi;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OffboardingTest {
    private static final Instant NOW = Blueprint.at("2026-03-03T10:00");
    private static final long LEFT_AT = NOW.minus(Duration.ofDays(1)).getEpochSecond();

    private final MemoryCustomerStore customers = new MemoryCustomerStore();
    private final MemoryStaffLoadStore loads = new MemoryStaffLoadStore();
    private final MemoryTenantLog log = new MemoryTenantLog();
    private final RecordingWeComApi wecom = new RecordingWeComApi();
    private final MemoryTransferLedger transfers = new MemoryTransferLedger();
    private final Offboarding offboarding = new Offboarding(Blueprint.config(), wecom, customers, customers, loads,
            transfers, log, new Ids());

    OffboardingTest() {
        // live_team: amy (leaving) 300 customers, ben 40, cai 10; service_desk: eve 70, fay 20
        loads.seedActive(TENANT, "live_team", "amy", 300);
        loads.seedActive(TENANT, "live_team", "ben", 40);
        loads.seedActive(TENANT, "live_team", "cai", 10);
        loads.seedActive(TENANT, "service_desk", "eve", 70);
        loads.seedActive(TENANT, "service_desk", "fay", 20);
    }

    /** A customer of the departed member, waiting on WeCom's unassigned list. */
    private CustomerProfile customerOf(String departed, String id) {
        CustomerProfile p = Blueprint.customer(id, departed, NOW.minus(Duration.ofDays(200)));
        store(p);
        wecom.addUnassigned(new Unassigned(departed, p.externalUserId(), LEFT_AT));
        return p;
    }

    /** Stores the customer and the external_userid alias the callback keeps for them. */
    private void store(CustomerProfile p) {
        customers.put(p);
        customers.claimIdentity(TENANT, IdentityType.EXTERNAL_USERID, p.externalUserId(), p.customerId());
    }

    private void transferredBefore(String id, long... daysAgo) {
        for (long d : daysAgo) {
            Instant at = NOW.minus(Duration.ofDays(d));
            customers.append(TENANT, id, List.of(new TimelineEvent("ev-" + id + "-" + d, at, "customer_transferred",
                    "x", Map.of("handover", "x", "takeover", "y"))));
        }
    }

    private StaffRelationship relationship(String id, String staff) {
        return customers.get(TENANT, id).relationships().get(staff);
    }

    @Test
    void aBookOf250CustomersGoesToTheLeastLoadedColleagueIn3Batches() {
        // GIVEN Amy left with 250 customers unassigned
        for (int i = 0; i < 250; i++) {
            customerOf("amy", "c" + i);
        }
        // WHEN offboarding runs
        Offboarding.AssignSummary s = offboarding.assign(NOW);
        // THEN Cai (10 customers, fewest in Amy's live_team) takes them over in calls of 100, 100 and 50
        assertThat(s.successors()).containsExactly(Map.entry("amy", "cai"));
        assertThat(wecom.transferCalls()).extracting(c -> c.externalUserIds().size()).containsExactly(100, 100, 50);
        assertThat(wecom.transferCalls()).allSatisfy(c -> {
            assertThat(c.handover()).isEqualTo("amy");
            assertThat(c.takeover()).isEqualTo("cai");
            assertThat(c.resigned()).isTrue();
        });
        assertThat(s.requested()).isEqualTo(250);
        assertThat(s.batches()).isEqualTo(3);
        // and each customer shows the pending transfer
        assertThat(customers.events(TENANT, "c249", "transfer_requested")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("takeover", "cai").containsEntry("batch", "3"));
        assertThat(relationship("c0", "cai").status()).isEqualTo(Status.PENDING);
        assertThat(relationship("c0", "amy").status()).isEqualTo(Status.ACTIVE);

        // WHEN WeCom has taken 200 over and 50 still wait, and the poll runs
        for (int i = 0; i < 200; i++) {
            wecom.settle("ext-c" + i, 1);
        }
        Offboarding.PollSummary poll = offboarding.poll(NOW.plus(Duration.ofDays(1)));
        // THEN the 200 belong to Cai: Amy's relationship ended (by staff, suppressed), Cai's active
        assertThat(poll.pending()).isEqualTo(250);
        assertThat(poll.transferred()).isEqualTo(200);
        assertThat(poll.waiting()).isEqualTo(50);
        assertThat(relationship("c0", "amy").status()).isEqualTo(Status.ENDED);
        assertThat(relationship("c0", "amy").endedBy()).isEqualTo(EndedBy.STAFF);
        assertThat(relationship("c0", "amy").suppressed()).isTrue();
        assertThat(relationship("c0", "cai").status()).isEqualTo(Status.ACTIVE);
        assertThat(customers.kinds(TENANT, "c0")).contains("transfer_requested", "customer_transferred");
        assertThat(relationship("c249", "cai").status()).isEqualTo(Status.PENDING);
        // and a second poll settles nothing twice
        Offboarding.PollSummary again = offboarding.poll(NOW.plus(Duration.ofDays(1)));
        assertThat(again.pending()).isEqualTo(50);
        assertThat(customers.events(TENANT, "c0", "customer_transferred")).hasSize(1);
        // and while 50 wait, Amy -> Cai stays on the ledger the poll reads first
        assertThat(transfers.openPairs(TENANT)).extracting(TransferLedger.Pair::handover, TransferLedger.Pair::takeover)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("amy", "cai"));

        // WHEN WeCom takes the last 50 over
        for (int i = 200; i < 250; i++) {
            wecom.settle("ext-c" + i, 1);
        }
        Offboarding.PollSummary last = offboarding.poll(NOW.plus(Duration.ofDays(2)));
        // THEN the pair closes, and the hourly polls after it walk no profile at all
        assertThat(last.transferred()).isEqualTo(50);
        assertThat(transfers.openPairs(TENANT)).isEmpty();
        int[] walked = {0};
        Offboarding idle = new Offboarding(Blueprint.config(), wecom, customers, (tenant, each) -> walked[0]++, loads,
                transfers, log, new Ids());
        assertThat(idle.poll(NOW.plus(Duration.ofDays(3))).pending()).isZero();
        assertThat(walked[0]).isZero();
    }

    @Test
    void aCustomerTransferredTwiceIn90DaysIsSkippedAndTheSkipRecordedOnce() {
        customerOf("amy", "twice");
        customerOf("amy", "long-ago");
        transferredBefore("twice", 80, 20);
        transferredBefore("long-ago", 120, 20);
        Offboarding.AssignSummary s = offboarding.assign(NOW);
        offboarding.assign(NOW.plus(Duration.ofHours(6)));
        assertThat(s.skippedLimit()).isEqualTo(1);
        assertThat(s.requested()).isEqualTo(1);
        assertThat(wecom.transferCalls().get(0).externalUserIds()).containsExactly("ext-long-ago");
        assertThat(customers.events(TENANT, "twice", "transfer_skipped_limit")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("transfers_in_90_days", "2").containsEntry("max", "2"));
        assertThat(customers.kinds(TENANT, "twice")).doesNotContain("transfer_requested");
    }

    @Test
    void aCustomerWhoRefusesTheSuccessorIsRecordedAndNotOfferedAgain() {
        customerOf("amy", "no-thanks");
        offboarding.assign(NOW);
        wecom.settle("ext-no-thanks", 3);
        Offboarding.Summary next = offboarding.run(NOW.plus(Duration.ofDays(1)));
        // the refusal is on the timeline, and nothing goes through the refused successor
        assertThat(next.poll().refused()).isEqualTo(1);
        assertThat(customers.events(TENANT, "no-thanks", "transfer_failed")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("status", "3")
                        .containsEntry("reason", "customer_refused").containsEntry("takeover", "cai"));
        assertThat(relationship("no-thanks", "cai").status()).isEqualTo(Status.ENDED);
        assertThat(relationship("no-thanks", "cai").endedBy()).isEqualTo(EndedBy.CUSTOMER);
        assertThat(relationship("no-thanks", "amy").status()).isEqualTo(Status.ACTIVE);
        // back on WeCom's list, the customer is left for an operator instead of being pushed on someone else
        assertThat(next.assign().unassigned()).isEqualTo(1);
        assertThat(next.assign().skippedRefused()).isEqualTo(1);
        assertThat(wecom.transferCalls()).hasSize(1);
    }

    @Test
    void aSuccessorAtTheirLimitIsReplacedByTheNextColleagueOnTheNextRun() {
        customerOf("amy", "z");
        offboarding.assign(NOW);
        wecom.settle("ext-z", 5);
        // WHEN the next run polls (status 5) and assigns again
        Offboarding.Summary next = offboarding.run(NOW.plus(Duration.ofDays(1)));
        // THEN the failure is recorded and Ben, the next least loaded, gets the customer
        assertThat(next.poll().takeoverAtLimit()).isEqualTo(1);
        assertThat(customers.events(TENANT, "z", "transfer_failed")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("reason", "takeover_at_limit")
                        .containsEntry("takeover", "cai"));
        assertThat(next.assign().successors()).containsExactly(Map.entry("amy", "ben"));
        assertThat(wecom.transferCalls()).extracting(RecordingWeComApi.TransferCall::takeover).containsExactly("cai", "ben");
        // WHEN WeCom completes the second transfer
        wecom.settle("ext-z", 1);
        offboarding.poll(NOW.plus(Duration.ofDays(2)));
        // THEN the customer is Ben's, and Cai's never-started relationship stays closed
        assertThat(relationship("z", "ben").status()).isEqualTo(Status.ACTIVE);
        assertThat(relationship("z", "cai").status()).isEqualTo(Status.ENDED);
        assertThat(relationship("z", "amy").endedBy()).isEqualTo(EndedBy.STAFF);
    }

    @Test
    void departedStaffAreNeverSuccessors_andTheTakeoverPoolsStepInWhenTheTeamIsGone() {
        // GIVEN Amy, Ben and Cai (the whole live_team) left, and Dan's customers too (Dan's pool has no one else)
        customerOf("amy", "a1");
        customerOf("ben", "b1");
        customerOf("cai", "c1");
        customerOf("dan", "d1");
        Offboarding.AssignSummary s = offboarding.assign(NOW);
        // THEN everyone goes to the service desk, least loaded first: Fay (20), who keeps winning until she has
        // more than Eve's 70
        assertThat(s.successors()).containsOnly(Map.entry("amy", "fay"), Map.entry("ben", "fay"),
                Map.entry("cai", "fay"), Map.entry("dan", "fay"));
        assertThat(s.requested()).isEqualTo(4);
        assertThat(loads.load(TENANT, "service_desk", LocalDate.parse("2026-03-03")).active("fay")).isEqualTo(20);
    }

    @Test
    void withNoOneToTakeOverTheCustomersWaitAndTheLogSaysWhy() {
        wecom.addUnassigned(new Unassigned("eve", "ext-e1", LEFT_AT));
        wecom.addUnassigned(new Unassigned("fay", "ext-f1", LEFT_AT));
        store(Blueprint.customer("e1", "eve", NOW.minus(Duration.ofDays(30))));
        store(Blueprint.customer("f1", "fay", NOW.minus(Duration.ofDays(30))));
        Offboarding.AssignSummary s = offboarding.assign(NOW);
        assertThat(s.noSuccessor()).isEqualTo(2);
        assertThat(wecom.transferCalls()).isEmpty();
        assertThat(log.of("TRANSFERS", "transfer_no_successor")).hasSize(2);
    }

    @Test
    void aCustomerWeNeverRecordedIsStillTransferredAndFollowed() {
        // GIVEN WeCom lists a customer of Amy's whose add callback never reached us
        wecom.addUnassigned(new Unassigned("amy", "ext-ghost", LEFT_AT));
        // WHEN offboarding runs and WeCom completes the transfer
        offboarding.assign(NOW);
        wecom.settle("ext-ghost", 1);
        offboarding.poll(NOW.plus(Duration.ofDays(1)));
        // THEN the customer has a profile under the WeCom-first id, now with Cai
        String id = CustomerLookup.wecomCustomerId("ext-ghost");
        assertThat(relationship(id, "cai").status()).isEqualTo(Status.ACTIVE);
        assertThat(relationship(id, "amy").status()).isEqualTo(Status.ENDED);
        assertThat(customers.kinds(TENANT, id)).containsExactly("transfer_requested", "customer_transferred");
    }

    @Test
    void alreadyInTransferToThisSuccessorIsConfirmedThroughTransferResultAndRecordedAsPending() {
        // GIVEN an earlier run's transfer of Amy's customer to Cai that WeCom accepted, whose record was lost,
        // and WeCom still listing the customer as unassigned
        CustomerProfile p = customerOf("amy", "c1");
        wecom.transferCustomers("amy", "cai", List.of(p.externalUserId()), true);
        wecom.addUnassigned(new Unassigned("amy", p.externalUserId(), LEFT_AT));
        wecom.rejectNext(p.externalUserId(), Offboarding.ALREADY_IN_TRANSFER);
        // WHEN offboarding runs and WeCom answers 40129 (already in transfer)
        Offboarding.AssignSummary s = offboarding.assign(NOW);
        // THEN transfer_result confirms it is waiting with Cai, so it is recorded as pending, not as a refusal
        assertThat(s.requested()).isEqualTo(1);
        assertThat(s.rejected()).isZero();
        assertThat(relationship("c1", "cai").status()).isEqualTo(Status.PENDING);
        assertThat(customers.events(TENANT, "c1", "transfer_requested")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("confirmed_by", "transfer_result"));
    }

    @Test
    void alreadyInTransferElsewhereStaysARefusal() {
        // GIVEN WeCom answering 40129 for a customer with no transfer to the successor WeCom can name
        CustomerProfile p = customerOf("amy", "c1");
        wecom.rejectNext(p.externalUserId(), Offboarding.ALREADY_IN_TRANSFER);
        // WHEN offboarding runs
        offboarding.assign(NOW);
        // THEN nothing is pending with Cai, and the refusal says why
        assertThat(relationship("c1", "cai")).isNull();
        assertThat(customers.events(TENANT, "c1", "transfer_rejected")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("errcode", "40129")
                        .containsEntry("transfer_result", "not_listed"));
    }

    @Test
    void aCrashAfterWeComAcceptedTheTransferIsRecoveredByThePollBeforeThePairCloses() {
        // GIVEN a run that opened the pair and made the call WeCom accepted, then died before recording it
        CustomerProfile p = customerOf("amy", "c1");
        transfers.open(TENANT, "amy", "cai", NOW);
        wecom.transferCustomers("amy", "cai", List.of(p.externalUserId()), true);
        // and WeCom later completing the transfer
        wecom.settle(p.externalUserId(), 1);
        // WHEN the hourly poll runs an hour later
        offboarding.poll(NOW.plus(Duration.ofHours(1)));
        // THEN the customer is Cai's, Amy's relationship ended, and only then is the pair closed
        assertThat(relationship("c1", "cai").status()).isEqualTo(Status.ACTIVE);
        assertThat(relationship("c1", "amy").status()).isEqualTo(Status.ENDED);
        assertThat(customers.kinds(TENANT, "c1")).contains("transfer_requested", "customer_transferred");
        assertThat(transfers.openPairs(TENANT)).isEmpty();
    }

    @Test
    void aRecoveredTransferStillWaitingKeepsThePairOpen() {
        CustomerProfile p = customerOf("amy", "c1");
        transfers.open(TENANT, "amy", "cai", NOW);
        wecom.transferCustomers("amy", "cai", List.of(p.externalUserId()), true);
        offboarding.poll(NOW.plus(Duration.ofHours(1)));
        assertThat(relationship("c1", "cai").status()).isEqualTo(Status.PENDING);
        assertThat(transfers.openPairs(TENANT)).hasSize(1);
    }
}
