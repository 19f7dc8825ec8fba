package dev.siyu.functions.wecomcallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.channel.ChannelCodeProvisioner;
import dev.siyu.core.channel.StaffRouter;
import dev.siyu.core.config.ChannelCodeSpec;
import dev.siyu.core.config.RoutingType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoChannelStore;
import dev.siyu.store.DynamoStaffLoadStore;
import dev.siyu.testkit.InjectStack;
import dev.siyu.wecom.CallbackXml;
import dev.siyu.wecom.WxJavaWeComApi;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** Each routing type moves its channel code to the right staff member after every add. */
@QuarkusTest
@QuarkusTestResource(value = FreshLocalStackResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutingTest {
    @InjectStack
    LocalStack stack;

    @Test
    @Order(1)
    void channelCodesWereCreatedWithTheFirstPickOfEachPool() {
        assertThat(stack.applied.channels()).extracting(ChannelCode::state, c -> c.staff())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("parcel_card_east", List.of("zhangsan", "lisi")),
                        org.assertj.core.groups.Tuple.tuple("livestream_qr", List.of("wangwu", "zhaoliu", "sunqi")),
                        org.assertj.core.groups.Tuple.tuple("in_store.sh01", List.of("zhouba")),
                        org.assertj.core.groups.Tuple.tuple("in_store.hz01", List.of("wujiu", "zhengshi")));
        // add_contact_way named the first pick: config order when every load is zero.
        assertThat(stack.stub.calls("externalcontact/add_contact_way")).extracting(c -> c.body().path("user").get(0).asText())
                .containsExactly("zhangsan", "wangwu", "zhouba", "wujiu");
    }

    @Test
    @Order(2)
    void autoAssignRoundRobinAndLocationBasedRouteTheNextCustomer() {
        Callbacks callbacks = new Callbacks(stack.wecomSettings);
        String corp = stack.wecomSettings.corpId();
        String[][] adds = {
            // state, staff the customer added, staff the code must route to next
            {"parcel_card_east", "zhangsan", "lisi"},      // least loaded: lisi has 0
            {"parcel_card_east", "lisi", "zhangsan"},      // tie 1:1, config order
            {"livestream_qr", "wangwu", "zhaoliu"},        // rotation 1
            {"livestream_qr", "zhaoliu", "sunqi"},         // rotation 2
            {"livestream_qr", "sunqi", "wangwu"},          // rotation wraps
            {"in_store.hz01", "wujiu", "zhengshi"},        // the store's city pool, least loaded
        };
        int n = 0;
        for (String[] add : adds) {
            stack.stub.clearCalls();
            String customer = "wmROUTE" + (n++);
            Callbacks.invoke(callbacks.post(CallbackXml.contactAdded(corp, add[1], customer, add[0], "W-" + customer, Instant.now())));
            List<RecordedCall> updates = stack.stub.calls("externalcontact/update_contact_way");
            assertThat(updates).as("reroute after %s added %s", customer, add[1]).hasSize(1);
            assertThat(updates.get(0).body().path("user").get(0).asText()).as("next for %s", add[0]).isEqualTo(add[2]);
        }

        // A single-member store pool has nowhere else to go: no reroute call.
        stack.stub.clearCalls();
        Callbacks.invoke(callbacks.post(CallbackXml.contactAdded(corp, "zhouba", "wmROUTEsh", "in_store.sh01", "W-sh", Instant.now())));
        assertThat(stack.stub.calls("externalcontact/update_contact_way")).isEmpty();
        assertThat(stack.stub.calls("externalcontact/send_welcome_msg")).hasSize(1);
    }

    @Test
    @Order(3)
    void aPoolWhoseStaffAreAllAtTheirDailyLimitCannotGetANewCode() {
        ScrmConfig config = stack.applied.config();
        DynamoStaffLoadStore loads = new DynamoStaffLoadStore(stack.aws.dynamoDb(), LocalStack.TABLE, new CapacityMeter());
        LocalDate today = LocalDate.now(config.timezone());
        for (int i = 0; i < 100; i++) {  // zhouba, the only Shanghai store member, takes 100 a day
            loads.recordAdd(config.tenant(), "store_staff_shanghai", "zhouba", today);
        }
        ChannelCodeSpec popUp = new ChannelCodeSpec("Pop-up Shanghai", RoutingType.AUTO_ASSIGN, List.of("store_staff_shanghai"),
                "Hi, I'm {staff_name}", List.of(), "popup_sh", "popup_sh");
        ScrmConfig withPopUp = new ScrmConfig(config.tenant(), config.timezone(), config.staff(), config.stores(),
                List.of(popUp), config.tagSystem(), config.autoTaggingRules(), config.groupTypes(),
                config.guardrails());
        DynamoChannelStore channels = new DynamoChannelStore(stack.aws.dynamoDb(), LocalStack.TABLE, new CapacityMeter());
        stack.stub.clearCalls();

        assertThatThrownBy(() -> new ChannelCodeProvisioner(new WxJavaWeComApi(stack.wecomSettings), channels, loads,
                new StaffRouter(), Clock.systemUTC()).provision(withPopUp))
                .isInstanceOf(ChannelCodeProvisioner.ChannelFullException.class)
                .hasMessageContaining("Pop-up Shanghai").hasMessageContaining("store_staff_shanghai")
                .hasMessageContaining("daily_add_limit");
        assertThat(stack.stub.calls("externalcontact/add_contact_way")).isEmpty();
        assertThat(channels.byState(config.tenant(), "popup_sh")).isEmpty();
    }
}
