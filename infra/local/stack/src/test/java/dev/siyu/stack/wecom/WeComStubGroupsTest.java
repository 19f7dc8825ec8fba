package dev.siyu.stack.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.memory.VirtualClock;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stub's customer-group endpoints over HTTP: what WeCom answers, and each refusal WeCom documents. */
class WeComStubGroupsTest {
    static final String CORP = "wwsiyu0000demo0001";
    static final String SECRET = "siyu-local-contact-secret";

    final VirtualClock clock = new VirtualClock(Instant.parse("2025-06-01T00:00:00Z"));
    WeComStub stub;
    StubHttp http;

    @BeforeEach
    void start() {
        stub = new WeComStub(CORP, SECRET, clock).start(0);
        http = new StubHttp(stub, CORP, SECRET);
        stub.groups().create("wrA", "Perks A", "zhangsan");
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void groupchatGetListsOwnerNameAndMembersWithJoinSceneAndTime() throws Exception {
        stub.groups().join("wrA", "wmCust1", 3);

        JsonNode g = http.call("externalcontact/groupchat/get", "{\"chat_id\":\"wrA\"}").path("group_chat");

        assertThat(g.path("owner").asText()).isEqualTo("zhangsan");
        assertThat(g.path("name").asText()).isEqualTo("Perks A");
        assertThat(g.path("member_list")).hasSize(2);
        JsonNode customer = g.path("member_list").get(1);
        assertThat(customer.path("userid").asText()).isEqualTo("wmCust1");
        assertThat(customer.path("type").asInt()).isEqualTo(2);
        assertThat(customer.path("join_scene").asInt()).isEqualTo(3);
        assertThat(customer.path("join_time").asLong()).isEqualTo(clock.instant().getEpochSecond());
    }

    @Test
    void groupchatGetRefusesAnUnknownChat() throws Exception {
        assertThat(http.call("externalcontact/groupchat/get", "{\"chat_id\":\"wrNone\"}").path("errcode").asInt())
                .isEqualTo(StubGroups.INVALID_CHAT_ID);
    }

    @Test
    void addJoinWayRefusesMoreThanFiveGroups() throws Exception {
        JsonNode r = http.call("externalcontact/groupchat/add_join_way",
                "{\"scene\":2,\"chat_id_list\":[\"wrA\",\"wrA\",\"wrA\",\"wrA\",\"wrA\",\"wrA\"]}");
        assertThat(r.path("errcode").asInt()).isEqualTo(40058);
    }

    @Test
    void addJoinWayRefusesAnUnknownSceneOrChat() throws Exception {
        assertThat(http.call("externalcontact/groupchat/add_join_way", "{\"scene\":3,\"chat_id_list\":[\"wrA\"]}")
                .path("errcode").asInt()).isEqualTo(40058);
        assertThat(http.call("externalcontact/groupchat/add_join_way", "{\"scene\":2,\"chat_id_list\":[\"wrB\"]}")
                .path("errcode").asInt()).isEqualTo(StubGroups.INVALID_CHAT_ID);
    }

    @Test
    void aJoinWaysQrCodeComesFromGetJoinWayAndLeadsToItsGroup() throws Exception {
        String configId = http.call("externalcontact/groupchat/add_join_way",
                "{\"scene\":2,\"remark\":\"perks\",\"chat_id_list\":[\"wrA\"]}").path("config_id").asText();

        String qr = http.call("externalcontact/groupchat/get_join_way", "{\"config_id\":\"" + configId + "\"}")
                .path("join_way").path("qr_code").asText();

        assertThat(qr).startsWith("https://");
        assertThat(stub.groups().chatOfQr(qr)).isEqualTo("wrA");
    }

    @Test
    void welcomeTemplateRefusesTextOver3000Bytes() throws Exception {
        String long3001 = "a".repeat(3001);
        JsonNode r = http.call("externalcontact/group_welcome_template/add",
                "{\"text\":{\"content\":\"" + long3001 + "\"},\"notify\":1}");
        assertThat(r.path("errcode").asInt()).isEqualTo(40058);
        assertThat(http.call("externalcontact/group_welcome_template/add", "{\"text\":{\"content\":\"hi\"}}")
                .path("template_id").asText()).isNotBlank();
    }

    @Test
    void transferMovesTheGroupsAndListsTheOnesThatAreNoCustomerGroups() throws Exception {
        JsonNode r = http.call("externalcontact/groupchat/transfer",
                "{\"chat_id_list\":[\"wrA\",\"wrNone\"],\"new_owner\":\"lisi\"}");

        assertThat(r.path("errcode").asInt()).isZero();
        assertThat(r.path("failed_chat_list")).singleElement().satisfies(f -> {
            assertThat(f.path("chat_id").asText()).isEqualTo("wrNone");
            assertThat(f.path("errcode").asInt()).isEqualTo(StubGroups.NOT_EXTERNAL_GROUP);
        });
        assertThat(stub.groups().owner("wrA")).isEqualTo("lisi");
    }

    @Test
    void transferRefusesAMissingNewOwner() throws Exception {
        assertThat(http.call("externalcontact/groupchat/onjob_transfer", "{\"chat_id_list\":[\"wrA\"]}")
                .path("errcode").asInt()).isEqualTo(40058);
    }
}
