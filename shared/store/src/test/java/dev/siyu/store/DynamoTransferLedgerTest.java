package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.port.TransferLedger.Pair;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The offboarding poll's ledger of staff pairs with transfers in flight, on DynamoDB Local. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoTransferLedgerTest {
    private static final Instant NOW = Instant.parse("2026-03-02T02:00:00Z");

    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private final CapacityMeter meter = new CapacityMeter();
    private DynamoTransferLedger ledger;

    @BeforeAll
    void startDynamoDb() {
        ledger = new DynamoTransferLedger(aws.dynamo(), LocalAws.TABLE, meter);
    }

    @Test
    void pairsOpenOncePerTenantAreReadInOneQueryAndClose() {
        ledger.open("brand-a", "amy", "cai", NOW);
        ledger.open("brand-a", "amy", "cai", NOW.plusSeconds(60));
        ledger.open("brand-a", "bob", "cai", NOW);
        ledger.open("brand-b", "amy", "cai", NOW);

        meter.reset();
        assertThat(ledger.openPairs("brand-a")).containsExactly(new Pair("amy", "cai", NOW.plusSeconds(60)),
                new Pair("bob", "cai", NOW));
        assertThat(meter.requests()).isEqualTo(1);

        // A poll that read the pair before it was opened again does not close it.
        ledger.close("brand-a", "amy", "cai", NOW);
        assertThat(ledger.openPairs("brand-a")).hasSize(2);
        ledger.close("brand-a", "amy", "cai", NOW.plusSeconds(60));
        assertThat(ledger.openPairs("brand-a")).containsExactly(new Pair("bob", "cai", NOW));
        assertThat(ledger.openPairs("brand-b")).hasSize(1);
        assertThat(ledger.openPairs("brand-c")).isEmpty();
    }
}
