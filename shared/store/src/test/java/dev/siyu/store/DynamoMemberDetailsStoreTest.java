package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.miniapp.MemberDetails;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DynamoMemberDetailsStoreTest {
    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private DynamoMemberDetailsStore store;

    @BeforeEach
    void store() {
        store = new DynamoMemberDetailsStore(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
    }

    @Test
    void detailsRoundTripPerTenantAndAnOlderCopyNeverOverwritesANewerOne() {
        Instant at = Instant.parse("2026-06-01T02:00:00Z");
        MemberDetails written = store.update("acme", "m-1", d -> d.withPersonal("female", LocalDate.of(1990, 4, 12),
                        "Room 1", "zh_CN", "Asia/Shanghai").withPhone("g1:sealed", "+86 138****5678")
                .withConsent(new MemberDetails.ConsentRecord("marketing", true, "2026-05", at, "miniapp"))
                .notified(new MemberDetails.Notification("n-1", "reward", "Reward", "Sample kit", at, false)));

        assertThat(store.details("acme", "m-1")).contains(written);
        assertThat(written.version()).isEqualTo(1);
        assertThat(store.details("other", "m-1")).isEmpty();
        MemberDetails stale = store.details("acme", "m-1").orElseThrow();
        store.update("acme", "m-1", d -> d.read("n-1"));
        assertThat(store.save("acme", stale.withPhone(null, null))).as("a copy read before the last write").isFalse();
        assertThat(store.details("acme", "m-1").orElseThrow().phoneSealed()).isEqualTo("g1:sealed");
        assertThat(store.details("acme", "m-1").orElseThrow().notifications().get(0).read()).isTrue();
    }

    @Test
    void concurrentNotificationsAreAllKept() throws Exception {
        Instant at = Instant.parse("2026-06-01T02:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<MemberDetails>> done = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String id = "n-" + i;
                done.add(pool.submit(() -> store.update("acme", "m-2", d -> d.notified(
                        new MemberDetails.Notification(id, "profile_update", "t", "b", at, false)))));
            }
            for (Future<MemberDetails> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.details("acme", "m-2").orElseThrow().notifications()).extracting(MemberDetails.Notification::id)
                .containsExactlyInAnyOrder("n-0", "n-1", "n-2", "n-3");
    }
}
