package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.event.DedupKey;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.port.StepCommit;
import dev.siyu.core.port.TouchRecord;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoCustomerStoreTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00.123456Z");

    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private final CapacityMeter meter = new CapacityMeter();
    private DynamoCustomerStore store;

    @BeforeAll
    void startDynamoDb() {
        store = new DynamoCustomerStore(aws.dynamo(), LocalAws.TABLE, meter);
    }

    @BeforeEach
    void resetMeter() {
        meter.reset();
    }

    @Test
    void profileRoundTripsEveryField() {
        StaffRelationship active = StaffRelationship.started("zhang.wei", "store_sh_01", T0, false);
        StaffRelationship ended = StaffRelationship.started("li-na@x", "ad_0301", T0.minusSeconds(86_400), true)
                .ended(T0.plusSeconds(60), StaffRelationship.EndedBy.CUSTOMER);
        CustomerProfile profile = new CustomerProfile("acme", "c-full", "王小明", "https://wx.example/a.png",
                "store_sh_01", "Store QR Shanghai", "sh-01", "Shanghai", Set.of("VIP", "新客", "source:store"),
                Map.of(active.staffUserId(), active, ended.staffUserId(), ended),
                Map.of(IdentityType.EXTERNAL_USERID.key(), "wmABC", IdentityType.UNIONID.key(), "oU123"),
                T0, T0.plusMillis(1));

        store.save(profile, List.of());

        assertThat(store.profile("acme", "c-full")).contains(profile.atVersion(1));
        assertThat(store.profile("other", "c-full")).isEmpty();
    }

    @Test
    void activityRoundTripsEveryField() {
        Activity activity = new Activity(1288.3 + 0.1, 7, T0.minusSeconds(90 * 86_400), T0.minusSeconds(86_400),
                T0.minusSeconds(60 * 86_400), T0.minusSeconds(3_600),
                Map.of("coffee_beans", T0.minusSeconds(86_400), "茶具", T0.minusSeconds(40 * 86_400)),
                T0.minusSeconds(80 * 86_400), T0.minusSeconds(10), "churn_warning", true, 0.73,
                Map.of("wrChatVip01", "vip_community", "wrChatNew02", "newcomer"), Set.of("wrChatOld03"), 4,
                Set.of("abnormal_claims", "coupon_hunter"));
        CustomerProfile profile = profile("c-active").withActivity(activity, T0.plusSeconds(5));

        store.save(profile, List.of());

        CustomerProfile read = store.profile("acme", "c-active").orElseThrow();
        assertThat(read).isEqualTo(profile.atVersion(1));
        assertThat(read.activity().totalSpend()).as("decimal text keeps the double exactly").isEqualTo(1288.3 + 0.1);
    }

    @Test
    void theScoresRoundTripWithTheActivity() {
        // What the nightly scoring writes besides the churn score: an operator reads it back unchanged.
        Activity scored = Activity.NONE.purchased(88.5, null, T0.minusSeconds(86_400)).scored(0.31,
                new dev.siyu.core.profile.ProfileScores(0.92, 3.4, 412.75, "high", "Bargain Hunter", 0.4, 0.55,
                        0.25, 0.8, "xgboost", T0));
        CustomerProfile profile = profile("c-scored").withActivity(scored, T0.plusSeconds(5));

        store.save(profile, List.of());

        CustomerProfile read = store.profile("acme", "c-scored").orElseThrow();
        assertThat(read).isEqualTo(profile.atVersion(1));
        assertThat(read.activity().churnScore()).isEqualTo(0.31);
        assertThat(read.activity().scores().persona()).isEqualTo("Bargain Hunter");
    }

    @Test
    void profilesWrittenBeforeActivityExistedReadAsNoActivity() {
        // The attributes an item saved by the previous release has: no activity attribute at all.
        Map<String, AttributeValue> old = new HashMap<>(Map.of(
                "pk", AttributeValue.fromS("T#acme#C#c-old"), "sk", AttributeValue.fromS(SiyuTable.PROFILE_SK),
                "name", AttributeValue.fromS("老客户"), "tags", AttributeValue.fromSs(List.of("VIP")),
                "relationships", AttributeValue.fromM(Map.of()), "identities", AttributeValue.fromM(Map.of()),
                "created_at", AttributeValue.fromS(T0.toString())));
        aws.dynamo().putItem(b -> b.tableName(LocalAws.TABLE).item(old));

        CustomerProfile read = store.profile("acme", "c-old").orElseThrow();

        assertThat(read.activity()).isEqualTo(Activity.NONE);
        assertThat(read.name()).isEqualTo("老客户");
    }

    @Test
    void aProfileWithoutActivityStoresNoActivityAttribute() {
        store.save(profile("c-quiet"), List.of());

        Map<String, AttributeValue> item = aws.dynamo().getItem(b -> b.tableName(LocalAws.TABLE).key(Map.of(
                "pk", AttributeValue.fromS("T#acme#C#c-quiet"), "sk", AttributeValue.fromS("PROFILE")))).item();
        assertThat(item).as("a new contact's profile is as small as before").doesNotContainKey("activity");
    }

    @Test
    void profileWithNullsAndEmptyCollectionsRoundTrips() {
        CustomerProfile bare = new CustomerProfile("acme", "c-bare", null, null, null, null, null, null, Set.of(),
                Map.of(), Map.of(), T0, null);

        store.save(bare, List.of());

        assertThat(store.profile("acme", "c-bare")).contains(bare.atVersion(1));
    }

    @Test
    void timelineIsOldestFirstAcrossPages() {
        List<TimelineEvent> events = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            events.add(new TimelineEvent("ev" + i, T0.plusSeconds(i), "kind_" + i, i % 2 == 0 ? "zhang.wei" : null,
                    i == 0 ? Map.of() : Map.of("n", Integer.toString(i))));
        }
        // Same millisecond: the event id decides, as Ids' time-sortable ids intend.
        events.add(new TimelineEvent("ev12b", T0.plusSeconds(11), "same_ms", null, Map.of()));
        List<TimelineEvent> shuffled = new ArrayList<>(events);
        Collections.shuffle(shuffled);
        store.append("acme", "c-timeline", shuffled.subList(0, 6));
        store.append("acme", "c-timeline", shuffled.subList(6, shuffled.size()));
        store.save(profile("c-timeline"), List.of());
        meter.reset();

        List<TimelineEvent> timeline = store.timeline("acme", "c-timeline", 5);

        assertThat(timeline).extracting(TimelineEvent::eventId).containsExactly("ev0", "ev1", "ev2", "ev3", "ev4",
                "ev5", "ev6", "ev7", "ev8", "ev9", "ev10", "ev11", "ev12b");
        assertThat(timeline).containsAll(events);
        assertThat(meter.requests()).as("13 events, 5 per page").isGreaterThanOrEqualTo(3);
        assertThat(store.timeline("acme", "c-timeline")).isEqualTo(timeline);
        assertThat(store.timeline("acme", "c-nobody")).isEmpty();
    }

    @Test
    void secondClaimOfTheSameCallbackIsRefused() {
        DedupKey key = new DedupKey("add_external_contact|zhang.wei|wmA||" + "|1772352000");

        assertThat(store.claim("acme", key, fresh(), T0, Duration.ofHours(1))).isTrue();
        assertThat(store.claim("acme", key, fresh(), T0.plusSeconds(5), Duration.ofHours(1))).isFalse();
        assertThat(store.claim("other", key, fresh(), T0, Duration.ofHours(1))).as("tenants do not share claims").isTrue();
    }

    @Test
    void exactlyOneOfTenConcurrentClaimsWins() throws Exception {
        DedupKey key = new DedupKey("del_follow_user|zhang.wei|wmRace|||1772352001");

        List<Boolean> results = Concurrently.run(10, i -> store.claim("acme", key, fresh(), T0, Duration.ofHours(1)));

        assertThat(results).containsOnlyOnce(true).hasSize(10);
    }

    @Test
    void expiredClaimCanBeClaimedAgainBeforeTtlDeletion() {
        DedupKey key = new DedupKey("edit_external_contact|zhang.wei|wmE|||1772352002");
        assertThat(store.claim("acme", key, fresh(), T0, Duration.ofMinutes(10))).isTrue();

        assertThat(store.claim("acme", key, fresh(), T0.plus(Duration.ofMinutes(9)), Duration.ofMinutes(10))).isFalse();
        assertThat(store.claim("acme", key, fresh(), T0.plus(Duration.ofMinutes(11)), Duration.ofMinutes(10))).isTrue();
        assertThat(store.claim("acme", key, fresh(), T0.plus(Duration.ofMinutes(12)), Duration.ofMinutes(10))).isFalse();
    }

    @Test
    void releasedClaimCanBeClaimedAgain() {
        DedupKey key = new DedupKey("add_external_contact|zhang.wei|wmR|||1772352003");
        assertThat(store.claim("acme", key, "first", T0, Duration.ofHours(1))).isTrue();

        store.release("acme", key, "first");

        assertThat(store.claim("acme", key, fresh(), T0, Duration.ofHours(1))).isTrue();
    }

    @Test
    void identityRaceHasOneOwnerThatEveryoneSees() throws Exception {
        List<String> owners = Concurrently.run(10,
                i -> store.claimIdentity("acme", IdentityType.EXTERNAL_USERID, "wmIdentityRace", "c-" + i));

        assertThat(new HashSet<>(owners)).hasSize(1);
        String owner = owners.get(0);
        assertThat(owner).matches("c-[0-9]");
        assertThat(store.customerIdFor("acme", IdentityType.EXTERNAL_USERID, "wmIdentityRace")).contains(owner);
        assertThat(store.customerIdFor("acme", IdentityType.UNIONID, "wmIdentityRace")).isEmpty();
        meter.reset();
        assertThat(store.claimIdentity("acme", IdentityType.EXTERNAL_USERID, "wmIdentityRace", "c-late"))
                .isEqualTo(owner);
        assertThat(meter.requests()).as("the rejection names the owner: no extra read").isEqualTo(1);
    }

    @Test
    void savingANewProfileWithOneEventConsumesThreeWriteUnits() {
        store.save(profile("c-capacity"), List.of(new TimelineEvent("ev-cap", T0, "contact_added", "zhang.wei",
                Map.of("state", "store_sh_01"))));

        // a new customer's profile also enters the keys-only profiles index: one more unit, once
        assertThat(meter.writes()).isEqualTo(3.0);
        assertThat(meter.requests()).as("the profile's conditional PutItem, then the events' BatchWriteItem")
                .isEqualTo(2);
    }

    @Test
    void aWholeCopyReadBeforeAnotherWriteIsRefused_anUpdateReappliesItsChangeOnTheLatestCopy() {
        // GIVEN a customer friends with Zhang Wei, read at 02:00 by a job
        StaffRelationship friend = StaffRelationship.started("zhang.wei", "store_sh_01", T0, false);
        store.save(profile("c-race").withRelationship(friend, T0), List.of());
        CustomerProfile jobCopy = store.profile("acme", "c-race").orElseThrow();
        // WHEN the customer deletes Zhang Wei at 02:03 (an update), and then the job writes its 02:00 copy
        Instant deleted = T0.plusSeconds(180);
        store.update("acme", "c-race", latest -> latest.withRelationship(
                latest.relationships().get("zhang.wei").ended(deleted, StaffRelationship.EndedBy.CUSTOMER), deleted),
                List.of(new TimelineEvent("ev-del", deleted, "relationship_ended", "zhang.wei", Map.of())));
        // THEN the copy's save is refused, and the job's change made as an update lands beside the delete
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.save(
                        jobCopy.withTags(Set.of("dormant"), Set.of(), T0), List.of()))
                .isInstanceOf(dev.siyu.core.profile.ProfileConflictException.class);
        CustomerProfile written = store.update("acme", "c-race",
                latest -> latest.withTags(Set.of("dormant"), Set.of(), T0), List.of()).orElseThrow();
        CustomerProfile read = store.profile("acme", "c-race").orElseThrow();
        assertThat(read).isEqualTo(written);
        assertThat(read.version()).isEqualTo(3);
        assertThat(read.tags()).contains("dormant");
        assertThat(read.relationships().get("zhang.wei").suppressed()).isTrue();
    }

    @Test
    void concurrentUpdatesAreAllApplied() throws Exception {
        store.save(profile("c-many"), List.of());
        List<Optional<CustomerProfile>> results = Concurrently.run(4, i -> store.update("acme", "c-many",
                latest -> latest.withTags(Set.of("t" + i), Set.of(), T0), List.of()));
        assertThat(results).allMatch(Optional::isPresent);
        assertThat(store.profile("acme", "c-many").orElseThrow().tags()).contains("t0", "t1", "t2", "t3");
    }

    @Test
    void aStepCommittingAnOlderSnapshotKeepsTheDeleteMadeSince() {
        StaffRelationship friend = StaffRelationship.started("zhang.wei", "store_sh_01", T0, false);
        store.save(profile("c-step").withRelationship(friend, T0), List.of());
        CustomerProfile snapshot = store.snapshot("acme", "c-step").profile().orElseThrow();
        Instant deleted = T0.plusSeconds(60);
        store.update("acme", "c-step", latest -> latest.withRelationship(
                latest.relationships().get("zhang.wei").ended(deleted, StaffRelationship.EndedBy.CUSTOMER), deleted),
                List.of());
        // A step that read the snapshot before the delete moves the customer to a stage, as StepRunner does: a
        // change applied to the latest copy.
        assertThat(snapshot.relationships().get("zhang.wei").suppressed()).isFalse();
        store.update("acme", "c-step", latest -> latest.withActivity(latest.activity().withStage("dormant"), T0),
                List.of());
        CustomerProfile read = store.profile("acme", "c-step").orElseThrow();
        assertThat(read.activity().stage()).isEqualTo("dormant");
        assertThat(read.relationships().get("zhang.wei").suppressed()).isTrue();
    }

    @Test
    void aClaimIsProcessingUntilItsLeaseRunsOut_thenTakenOver_thenDone() {
        DedupKey key = new DedupKey("add_external_contact|zhang.wei|wmLease||1");
        Instant lease = T0.plusSeconds(15);
        assertThat(store.claimLease("acme", key, "first", T0, lease)).isEqualTo(dev.siyu.core.port.CustomerStore.Claim.WON);
        assertThat(store.claimLease("acme", key, "retry", T0.plusSeconds(5), T0.plusSeconds(20)))
                .isEqualTo(dev.siyu.core.port.CustomerStore.Claim.PROCESSING);
        assertThat(store.claimLease("acme", key, "takeover", T0.plusSeconds(16), T0.plusSeconds(31)))
                .as("the first attempt died: its lease ran out").isEqualTo(dev.siyu.core.port.CustomerStore.Claim.WON);
        store.complete("acme", key, "takeover", T0.plusSeconds(17), Duration.ofDays(3));
        assertThat(store.claimLease("acme", key, "late", T0.plusSeconds(40), T0.plusSeconds(55)))
                .isEqualTo(dev.siyu.core.port.CustomerStore.Claim.DONE);
        assertThat(store.claimLease("acme", key, "replay", T0.plus(Duration.ofDays(3)).plusSeconds(18),
                T0.plus(Duration.ofDays(3)).plusSeconds(33))).as("kept three days").isEqualTo(
                dev.siyu.core.port.CustomerStore.Claim.WON);
    }

    /** The index keys never change, so saving an existing profile again does not write the index. */
    @Test
    void savingAnExistingProfileAgainDoesNotWriteTheProfilesIndex() {
        store.save(profile("c-again"), List.of());
        meter.reset();
        // the update reads the profile (1 read), then puts it over that version and appends the event

        store.update("acme", "c-again", latest -> latest.withTags(Set.of("repeat"), Set.of(), T0.plusSeconds(5)),
                List.of(new TimelineEvent("ev-again", T0, "tags_changed", null, Map.of())));

        assertThat(meter.writes()).isEqualTo(2.0);
    }

    @Test
    void readsReportTheirUnits() {
        store.save(profile("c-reads"), List.of());
        store.claimIdentity("acme", IdentityType.OPENID, "o-reads", "c-reads");
        meter.reset();

        store.profile("acme", "c-reads");
        assertThat(meter.reads()).as("strongly consistent GetItem of a small item").isEqualTo(1.0);
        store.customerIdFor("acme", IdentityType.OPENID, "o-reads");
        // Every alias may move in a merge (issue 12: an order's link joins two customers): read after it, it
        // must name the survivor, so alias reads are strongly consistent too.
        assertThat(meter.reads()).as("plus a strongly consistent GetItem").isEqualTo(2.0);
        // The external_userid alias moves in a unionid merge: a delete right after must see the move.
        store.claimIdentity("acme", IdentityType.EXTERNAL_USERID, "wm-reads", "c-reads");
        meter.reset();
        assertThat(store.customerIdFor("acme", IdentityType.EXTERNAL_USERID, "wm-reads")).contains("c-reads");
        assertThat(meter.reads()).as("a strongly consistent GetItem").isEqualTo(1.0);
    }

    @Test
    void aClaimWhoseAnswerWasLostIsWonByTheSdksRetry_notAnsweredAsProcessingElsewhere() {
        // GIVEN a client whose first PutItem takes effect but answers 500, so the SDK sends it again
        LoseAnswers lost = new LoseAnswers(1);
        try (DynamoDbClient flaky = aws.client(lost)) {
            DynamoCustomerStore flakyStore = new DynamoCustomerStore(flaky, LocalAws.TABLE, new CapacityMeter());
            DedupKey key = new DedupKey("add_external_contact|zhang.wei|wmLost|||1772352004");
            // WHEN the callback claims it
            CustomerStore.Claim claim = flakyStore.claimLease("acme", key, "attempt-1", T0, T0.plusSeconds(15));
            // THEN the retry found its own claim: this attempt processes the callback, and a WeCom retry waits
            assertThat(lost.lost()).as("the first answer was lost and the put retried").isEqualTo(1);
            assertThat(claim).isEqualTo(CustomerStore.Claim.WON);
            assertThat(store.claimLease("acme", key, "attempt-2", T0.plusSeconds(5), T0.plusSeconds(20)))
                    .isEqualTo(CustomerStore.Claim.PROCESSING);
        }
    }

    @Test
    void aLateAttemptWhoseLeaseWasTakenOverNeitherCompletesNorReleasesTheTakeoversClaim() {
        // GIVEN an attempt whose lease ran out and a WeCom retry that took the callback over
        DedupKey key = new DedupKey("add_external_contact|zhang.wei|wmLate|||1772352005");
        store.claimLease("acme", key, "slow", T0, T0.plusSeconds(15));
        assertThat(store.claimLease("acme", key, "takeover", T0.plusSeconds(16), T0.plusSeconds(31)))
                .isEqualTo(CustomerStore.Claim.WON);
        // WHEN the slow attempt fails and gives its claim back, or finishes and marks it done
        store.release("acme", key, "slow");
        store.complete("acme", key, "slow", T0.plusSeconds(17), Duration.ofDays(3));
        // THEN the takeover still holds it: another retry is told it is in progress, not free, not done
        assertThat(store.claimLease("acme", key, "third", T0.plusSeconds(18), T0.plusSeconds(33)))
                .isEqualTo(CustomerStore.Claim.PROCESSING);
        // AND the takeover's own completion marks it done
        store.complete("acme", key, "takeover", T0.plusSeconds(19), Duration.ofDays(3));
        assertThat(store.claimLease("acme", key, "fourth", T0.plusSeconds(40), T0.plusSeconds(55)))
                .isEqualTo(CustomerStore.Claim.DONE);
    }

    private static String fresh() {
        return CustomerStore.newToken();
    }

    private static CustomerProfile profile(String customerId) {
        return new CustomerProfile("acme", customerId, "Name", null, "store_sh_01", null, null, null, Set.of("VIP"),
                Map.of(), Map.of(IdentityType.EXTERNAL_USERID.key(), "wm" + customerId), T0, T0);
    }

    @Test
    void stateAndTimelineInOneQueryAreWhatTheTwoReadsGive() {
        DynamoJourneyRunStore runs = new DynamoJourneyRunStore(aws.dynamo(), LocalAws.TABLE, meter);
        store.save(profile("c-both"), List.of(new TimelineEvent("ev-b0", T0, "purchase", null, Map.of("amount", "88"))));
        store.append("acme", "c-both", List.of(new TimelineEvent("ev-b1", T0.plusSeconds(60), "reply", null, Map.of()),
                new TimelineEvent("ev-b2", T0.plusSeconds(120), "message_opened", null, Map.of())));
        runs.start(JourneyRun.start("acme", "c-both", "churn_early_warning", "cond-1", 1, T0, null, T0), 0, List.of());
        meter.reset();

        CustomerSnapshots.StateAndTimeline both = store.snapshotWithTimeline("acme", "c-both", store);

        assertThat(meter.requests()).as("one Query").isEqualTo(1);
        assertThat(both.state()).isEqualTo(store.snapshot("acme", "c-both"));
        assertThat(both.timeline()).isEqualTo(store.timeline("acme", "c-both"));
        assertThat(both.timeline()).extracting(TimelineEvent::eventId).containsExactly("ev-b0", "ev-b1", "ev-b2");
        assertThat(both.state().runs()).extracting(JourneyRun::journey).containsExactly("churn_early_warning");
        assertThat(store.snapshotWithTimeline("acme", "c-nobody", store).state().profile()).isEmpty();
    }

    @Test
    void aStepCommitLandsWholeOnlyForTheLeaseHolderAndOnce() {
        // GIVEN a run whose step 0 is leased to one delivery, with its intent reserved
        DynamoJourneyRunStore runs = new DynamoJourneyRunStore(aws.dynamo(), LocalAws.TABLE, meter);
        DynamoOutreachCounters counters = new DynamoOutreachCounters(aws.dynamo(), LocalAws.TABLE, meter);
        runs.start(JourneyRun.start("acme", "c-commit", "welcome", "r1", 1, T0, null, T0), 0, List.of());
        runs.lease("acme", "c-commit", "welcome", "r1", 0, "holder", T0, T0.plusSeconds(120));
        TouchRecord intent = TouchRecord.of("c-commit", "welcome#r1#0", T0, Channel.PRIVATE_MESSAGE, ContentClass.VALUE,
                true, null).intent();
        counters.reserve("acme", intent, ZoneId.of("Asia/Shanghai"));
        TimelineEvent sent = new TimelineEvent("ev-step-0", T0.plusSeconds(1), "message_sent", "zhang.wei", Map.of());
        StepCommit.RunChange byOther = new StepCommit.RunChange("acme", "c-commit", "welcome", "r1", 0, "other", 1,
                null, null, T0.plusSeconds(1));
        StepCommit.RunChange byHolder = new StepCommit.RunChange("acme", "c-commit", "welcome", "r1", 0, "holder", 1,
                null, null, T0.plusSeconds(1));
        List<TouchRecord> settled = List.of(intent.settled(TouchRecord.Status.SENT, "msg1"));
        meter.reset();

        // WHEN a delivery without the lease commits, then the holder, then the holder again (a retried request)
        boolean other = store.commitStep(new StepCommit(byOther, List.of(sent), settled), ZoneId.of("Asia/Shanghai"));
        boolean holder = store.commitStep(new StepCommit(byHolder, List.of(sent), settled), ZoneId.of("Asia/Shanghai"));
        CapacityMeter.Snapshot one = meter.snapshot();
        boolean again = store.commitStep(new StepCommit(byHolder, List.of(sent), settled), ZoneId.of("Asia/Shanghai"));

        // THEN only the holder's landed, whole: the run moved, the event is on the timeline once, the intent settled
        assertThat(other).isFalse();
        assertThat(holder).isTrue();
        assertThat(again).isFalse();
        assertThat(store.timeline("acme", "c-commit")).extracting(TimelineEvent::eventId).containsExactly("ev-step-0");
        JourneyRun run = runs.run("acme", "c-commit", "welcome", "r1").orElseThrow();
        assertThat(run.step()).isEqualTo(1);
        assertThat(run.leaseOwner()).isNull();
        assertThat(store.snapshot("acme", "c-commit").touches()).singleElement().satisfies(t -> {
            assertThat(t.status()).isEqualTo(TouchRecord.Status.SENT);
            assertThat(t.outcome()).isEqualTo("msg1");
        });
        System.out.printf("step commit, DynamoDB Local: refused + accepted %.1f WCU in %d requests%n", one.writes(),
                one.requests());
    }
}
