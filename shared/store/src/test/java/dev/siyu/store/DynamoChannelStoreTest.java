package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.config.RoutingType;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoChannelStoreTest {
    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private final CapacityMeter meter = new CapacityMeter();
    private DynamoChannelStore store;

    @BeforeAll
    void startDynamoDb() {
        store = new DynamoChannelStore(aws.dynamo(), LocalAws.TABLE, meter);
    }

    @Test
    void codesAreFoundByStateAndAllTogether() {
        ChannelCode store01 = new ChannelCode("Store QR Shanghai 01", RoutingType.LOCATION_BASED, "store_sh_01",
                "cfg-1", "https://wework.example/qr/1.png", List.of("zhang.wei"), "store_staff_shanghai", "sh-01");
        ChannelCode ads = new ChannelCode("Moments ads", RoutingType.ROUND_ROBIN, "ad_0301", "cfg-2",
                "https://wework.example/qr/2.png", List.of("li.na", "wang.fang"), "ads", null);
        store.save("acme", store01);
        store.save("acme", ads);
        store.save("other", ads.routedTo(List.of("someone.else")));

        assertThat(store.byState("acme", "store_sh_01")).contains(store01);
        assertThat(store.byState("acme", "ad_0301")).contains(ads);
        assertThat(store.byState("acme", "missing")).isEmpty();
        assertThat(store.all("acme")).containsExactlyInAnyOrder(store01, ads);

        ChannelCode rerouted = store01.routedTo(List.of("li.na"));
        store.save("acme", rerouted);
        assertThat(store.byState("acme", "store_sh_01")).contains(rerouted);
        assertThat(store.all("other")).extracting(ChannelCode::staff).containsExactly(List.of("someone.else"));
    }
}
