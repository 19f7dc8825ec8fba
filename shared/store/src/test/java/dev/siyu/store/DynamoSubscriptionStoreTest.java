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
    void aSubscriptionMessageCostsTwoReadsAndOneWrite() {
        CapacityMeter meter = new CapacityMeter();
        DynamoSubscriptionStore metered = new DynamoSubscriptionStore(aws.dynamo(), LocalAws.TABLE, meter);
        metered.answered("acme", "m-7", TEMPLATE, Answer.ACCEPT, AT);
        assertThat(meter.writes()).as("an answer: one UpdateItem").isEqualTo(1.0);
        meter.reset();

        // What a step reads and writes: whether this touch took one, what is left, then the take.
        metered.took("acme", "m-7", TEMPLATE, "touch-7");
        metered.subscription("acme", "m-7", TEMPLATE);
        metered.take("acme", "m-7", TEMPLATE, "touch-7", AT);

        assertThat(meter.reads()).as("two strongly consistent GetItems of a small item").isEqualTo(2.0);
        assertThat(meter.writes()).as("one conditional UpdateItem").isEqualTo(1.0);
    }

    @Test
    void refusedByWeChatLeavesNone() {
        store.answered("acme", "m-5", TEMPLATE, Answer.ACCEPT, AT);

        store.refused("acme", "m-5", TEMPLATE, AT.plusSeconds(5));

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
}
