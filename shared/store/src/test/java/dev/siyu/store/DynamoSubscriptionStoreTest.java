package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.miniapp.Subscription;
import dev.siyu.core.miniapp.SubscriptionStore.Answer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The members' one-time subscriptions on DynamoDB Local: counted per template, each used once, moved on a merge. */
class DynamoSubscriptionStoreTest {
    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private static final Instant AT = Instant.parse("2026-06-01T02:00:00Z");
    private static final String TEMPLATE = "Rp7xK2mQ9vLw3NcT8bYh5JdF1sGa6ZeU0iOoPqWrXyA";
    private DynamoSubscriptionStore store;

    @BeforeEach
    void store() {
        store = new DynamoSubscriptionStore(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
    }

    @Test
    void answersCountPerMemberPerTemplateAndTenant() {
        store.answered("acme", "m-1", TEMPLATE, Answer.ACCEPT, AT);
        store.answered("acme", "m-1", TEMPLATE, Answer.ACCEPT, AT.plusSeconds(1));
        Subscription now = store.answered("acme", "m-1", TEMPLATE, Answer.REJECT, AT.plusSeconds(2));
        store.answered("acme", "m-1", "other-template", Answer.ACCEPT, AT);

        assertThat(now).isEqualTo(new Subscription(TEMPLATE, 2, "reject", AT.plusSeconds(2)));
        assertThat(store.subscriptions("acme", "m-1")).extracting(Subscription::templateId, Subscription::remaining)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(TEMPLATE, 2),
                        org.assertj.core.groups.Tuple.tuple("other-template", 1));
        assertThat(store.subscriptions("acme", "m-2")).isEmpty();
        assertThat(store.subscriptions("other", "m-1")).isEmpty();
        assertThat(store.answered("acme", "m-1", TEMPLATE, Answer.BAN, AT).remaining()).isZero();
    }

    @Test
    void aTouchTakesOneMessageOnceHoweverOftenItAsks() {
        store.answered("acme", "m-3", TEMPLATE, Answer.ACCEPT, AT);
        store.answered("acme", "m-3", TEMPLATE, Answer.ACCEPT, AT);

        assertThat(store.take("acme", "m-3", TEMPLATE, "repurchase#r1#1", AT)).isTrue();
        assertThat(store.take("acme", "m-3", TEMPLATE, "repurchase#r1#1", AT))
                .as("the same touch again (its first attempt died after taking)").isTrue();
        assertThat(store.subscription("acme", "m-3", TEMPLATE).orElseThrow().remaining()).isEqualTo(1);
        assertThat(store.took("acme", "m-3", TEMPLATE, "repurchase#r1#1")).isTrue();
        assertThat(store.took("acme", "m-3", TEMPLATE, "repurchase#r2#1")).isFalse();
        assertThat(store.take("acme", "m-3", TEMPLATE, "repurchase#r2#1", AT)).isTrue();
        assertThat(store.take("acme", "m-3", TEMPLATE, "repurchase#r3#1", AT)).as("none left").isFalse();
        assertThat(store.take("acme", "m-none", TEMPLATE, "repurchase#r4#1", AT)).as("never subscribed").isFalse();
    }

    @Test
    void aMessageWeChatRefusedIsGivenBackOnce() {
        store.answered("acme", "m-6", TEMPLATE, Answer.ACCEPT, AT);
        store.take("acme", "m-6", TEMPLATE, "touch-1", AT);

        store.giveBack("acme", "m-6", TEMPLATE, "touch-1", AT);
        store.giveBack("acme", "m-6", TEMPLATE, "touch-1", AT);
        store.giveBack("acme", "m-6", TEMPLATE, "never-took", AT);

        assertThat(store.subscription("acme", "m-6", TEMPLATE).orElseThrow().remaining()).isEqualTo(1);
        assertThat(store.took("acme", "m-6", TEMPLATE, "touch-1")).isFalse();
    }

    @Test
    void concurrentTouchesNeverTakeMoreThanTheMemberAllowed() throws Exception {
        for (int i = 0; i < 3; i++) {
            store.answered("acme", "m-4", TEMPLATE, Answer.ACCEPT, AT);
        }

        List<Boolean> taken = Concurrently.run(10, i -> store.take("acme", "m-4", TEMPLATE, "touch-" + i, AT));

        assertThat(taken).filteredOn(t -> t).hasSize(3);
        assertThat(store.subscription("acme", "m-4", TEMPLATE).orElseThrow().remaining()).isZero();
    }

    @Test
    void aSubscriptionMessageCostsThreeReadsAndOneWrite() {
        CapacityMeter meter = new CapacityMeter();
        DynamoSubscriptionStore metered = new DynamoSubscriptionStore(aws.dynamo(), LocalAws.TABLE, meter);
        metered.answered("acme", "m-7", TEMPLATE, Answer.ACCEPT, AT);
        assertThat(meter.writes()).as("an answer: one conditional PutItem").isEqualTo(1.0);
        meter.reset();

        // What a step reads and writes: whether this touch took one, what is left, then the take.
        metered.took("acme", "m-7", TEMPLATE, "touch-7");
        metered.subscription("acme", "m-7", TEMPLATE);
        metered.take("acme", "m-7", TEMPLATE, "touch-7", AT);

        assertThat(meter.reads()).as("three strongly consistent GetItems of a small item (the take reads first)")
                .isEqualTo(3.0);
        assertThat(meter.writes()).as("one conditional PutItem").isEqualTo(1.0);
    }

    @Test
    void refusedByWeChatLeavesNone() {
        store.answered("acme", "m-5", TEMPLATE, Answer.ACCEPT, AT);

        store.take("acme", "m-5", TEMPLATE, "touch-5", AT.plusSeconds(4));
        store.refused("acme", "m-5", TEMPLATE, "touch-5", AT.plusSeconds(5));

        assertThat(store.subscription("acme", "m-5", TEMPLATE).orElseThrow())
                .isEqualTo(new Subscription(TEMPLATE, 0, "refused", AT.plusSeconds(5)));
    }

    @Test
    void aMergeMovesTheRemainingMessagesOnceEvenWhenMadeAgain() {
        store.answered("acme", "gone", TEMPLATE, Answer.ACCEPT, AT);
        store.answered("acme", "gone", TEMPLATE, Answer.ACCEPT, AT);
        store.answered("acme", "kept", TEMPLATE, Answer.ACCEPT, AT);

        store.move("acme", "gone", "kept", AT);
        store.move("acme", "gone", "kept", AT);

        assertThat(store.subscription("acme", "kept", TEMPLATE).orElseThrow().remaining()).isEqualTo(3);
        assertThat(store.subscription("acme", "gone", TEMPLATE).orElseThrow().remaining()).isZero();
        store.move("acme", "nobody", "kept", AT);
        assertThat(store.subscription("acme", "kept", TEMPLATE).orElseThrow().remaining()).isEqualTo(3);
    }

    @Test
    void weChatsRefusalIsRecordedWithTheCountSoTheTouchNoLongerHoldsAMessage() {
        store.answered("acme", "m-8", TEMPLATE, Answer.ACCEPT, AT);
        store.answered("acme", "m-8", TEMPLATE, Answer.ACCEPT, AT);
        store.take("acme", "m-8", TEMPLATE, "touch-8", AT);

        store.refused("acme", "m-8", TEMPLATE, "touch-8", AT.plusSeconds(1));

        // A redelivery of the step must see that WeChat answered, not a message that may have gone out.
        assertThat(store.took("acme", "m-8", TEMPLATE, "touch-8")).isFalse();
        assertThat(store.subscription("acme", "m-8", TEMPLATE).orElseThrow().remaining()).isZero();
    }

    @Test
    void anAcceptMadeWhileWeChatRefusedASendStands() {
        store.answered("acme", "m-9", TEMPLATE, Answer.ACCEPT, AT);
        store.take("acme", "m-9", TEMPLATE, "touch-9", AT);
        store.answered("acme", "m-9", TEMPLATE, Answer.ACCEPT, AT.plusSeconds(1));

        store.refused("acme", "m-9", TEMPLATE, "touch-9", AT.plusSeconds(2));

        assertThat(store.subscription("acme", "m-9", TEMPLATE).orElseThrow().remaining())
                .as("the accept after the take is a fresh one WeChat has not seen used").isEqualTo(1);
    }

    @Test
    void anAnswerSentTwiceCountsOnceAndTheCountIsCapped() {
        store.answered("acme", "m-10", TEMPLATE, Answer.ACCEPT, "req-1", AT);
        store.answered("acme", "m-10", TEMPLATE, Answer.ACCEPT, "req-1", AT.plusSeconds(1));
        assertThat(store.subscription("acme", "m-10", TEMPLATE).orElseThrow().remaining()).isEqualTo(1);

        for (int i = 0; i < 40; i++) {
            store.answered("acme", "m-10", TEMPLATE, Answer.ACCEPT, "tap-" + i, AT.plusSeconds(2 + i));
        }
        assertThat(store.subscription("acme", "m-10", TEMPLATE).orElseThrow().remaining())
                .isEqualTo(dev.siyu.core.miniapp.SubscriptionState.MAX_REMAINING);
    }

    @Test
    void touchesAndRequestIdsAreForgottenOnceNoRetryCanComeSoTheItemStaysSmall() {
        for (int i = 0; i < 30; i++) {
            store.answered("acme", "m-11", TEMPLATE, Answer.ACCEPT, "tap-" + i, AT.plusSeconds(i));
            store.take("acme", "m-11", TEMPLATE, "touch-" + i, AT.plusSeconds(i));
        }
        Instant later = AT.plus(dev.siyu.core.miniapp.SubscriptionState.HELD_FOR).plusSeconds(60);
        store.answered("acme", "m-11", TEMPLATE, Answer.ACCEPT, "tap-late", later);
        store.take("acme", "m-11", TEMPLATE, "touch-late", later);

        var item = aws.dynamo().getItem(b -> b.tableName(LocalAws.TABLE).key(SiyuTable.key(
                SiyuTable.customerPk("acme", "m-11"), DynamoSubscriptionStore.SK_PREFIX + TEMPLATE))).item();
        assertThat(item.get("held").m()).containsOnlyKeys("touch-late");
        assertThat(item.get("req").m()).containsOnlyKeys("tap-late");
    }
}
