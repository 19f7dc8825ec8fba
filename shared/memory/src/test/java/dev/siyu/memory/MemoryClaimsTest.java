package dev.siyu.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.event.DedupKey;
import dev.siyu.core.port.CustomerStore.Claim;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The in-memory claims answer as the DynamoDB adapter's (DynamoCustomerStoreTest has the same cases). */
class MemoryClaimsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private final MemoryCustomerStore store = new MemoryCustomerStore();

    @Test
    void aClaimSentAgainByItsOwnAttemptIsWon_anotherAttemptFindsItProcessing() {
        DedupKey key = new DedupKey("add_external_contact|zhang.wei|wmLost|||1");
        assertThat(store.claimLease("acme", key, "attempt-1", T0, T0.plusSeconds(15))).isEqualTo(Claim.WON);
        assertThat(store.claimLease("acme", key, "attempt-1", T0, T0.plusSeconds(15))).isEqualTo(Claim.WON);
        assertThat(store.claimLease("acme", key, "attempt-2", T0.plusSeconds(5), T0.plusSeconds(20)))
                .isEqualTo(Claim.PROCESSING);
    }

    @Test
    void aLateAttemptWhoseLeaseWasTakenOverNeitherCompletesNorReleasesTheTakeoversClaim() {
        DedupKey key = new DedupKey("add_external_contact|zhang.wei|wmLate|||2");
        store.claimLease("acme", key, "slow", T0, T0.plusSeconds(15));
        assertThat(store.claimLease("acme", key, "takeover", T0.plusSeconds(16), T0.plusSeconds(31)))
                .isEqualTo(Claim.WON);

        store.release("acme", key, "slow");
        store.complete("acme", key, "slow", T0.plusSeconds(17), Duration.ofDays(3));

        assertThat(store.claimLease("acme", key, "third", T0.plusSeconds(18), T0.plusSeconds(33)))
                .isEqualTo(Claim.PROCESSING);
        store.complete("acme", key, "takeover", T0.plusSeconds(19), Duration.ofDays(3));
        assertThat(store.claimLease("acme", key, "fourth", T0.plusSeconds(40), T0.plusSeconds(55)))
                .isEqualTo(Claim.DONE);
    }
}
