package dev.siyu.core.schedule;

import static dev.siyu.core.schedule.Blueprint.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.time.Ids;
import dev.siyu.memory.MemoryCustomerStore;
import dev.siyu.memory.RecordingWeComApi;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 16: daily rules that run out of time in one invocation stop, say so (the invocation fails,
 * so Lambda's retry runs it again), and the next invocation goes on with the customers not yet done.
 */
class DailyRulesPassTest {
    private static final Instant NOW = Blueprint.at("2026-03-02T03:00");

    private final MemoryCustomerStore customers = new MemoryCustomerStore();
    private final RecordingWeComApi wecom = new RecordingWeComApi();

    private DailyRules rules(ProfileScan scan) {
        return new DailyRules(Blueprint.config(), scan, customers, wecom, new CorpTags(wecom, Blueprint.config().tagSystem()),
                MapConditionCompiler.blueprint(), new RecordingConditionTriggers(), ChurnScorer.KEEP_STORED, new Ids());
    }

    @Test
    void aRunOutOfTimeFailsTheInvocationAndTheRetryGoesOnWithTheRest() {
        for (int i = 0; i < 5; i++) {
            Activity spent = Activity.NONE.purchased(2500, "skincare", NOW.minus(Duration.ofDays(2)))
                    .interacted(NOW.minus(Duration.ofDays(1)), true);
            customers.put(Blueprint.withActivity(Blueprint.customer("c" + i, "amy", NOW.minus(Duration.ofDays(60))), spent));
        }
        BudgetedScan scan = new BudgetedScan(customers, 2);
        DailyRules rules = rules(scan);

        assertThatThrownBy(() -> rules.run(NOW)).isInstanceOf(ProfileScan.Incomplete.class)
                .hasMessageContaining("daily-rules#2026-03-02");
        assertThat(wecom.marks()).hasSize(2);
        assertThatThrownBy(() -> rules.run(NOW.plusSeconds(60))).isInstanceOf(ProfileScan.Incomplete.class);
        DailyRules.Summary last = rules.run(NOW.plusSeconds(180));

        assertThat(last.profiles()).as("the third invocation did only what was left").isEqualTo(1);
        assertThat(scan.passes()).containsOnly("daily-rules#2026-03-02");
        assertThat(wecom.marks()).extracting(RecordingWeComApi.MarkTag::externalUserId)
                .containsExactlyInAnyOrder("ext-c0", "ext-c1", "ext-c2", "ext-c3", "ext-c4");
        for (int i = 0; i < 5; i++) {
            assertThat(customers.get(TENANT, "c" + i).tags()).contains("high_value_customer");
        }
    }
}
