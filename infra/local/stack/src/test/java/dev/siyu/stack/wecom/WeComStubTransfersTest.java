package dev.siyu.stack.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.memory.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Unassigned customers and customer transfers over HTTP, on a clock the test moves. */
class WeComStubTransfersTest {

    static final String CORP = "wwsiyu0000demo0001";
    static final String SECRET = "siyu-local-contact-secret";
    static final Instant START = Instant.parse("2025-06-01T00:00:00Z");

    final VirtualClock clock = new VirtualClock(START);
    WeComStub stub;
    StubHttp http;

    @BeforeEach
    void start() {
        stub = new WeComStub(CORP, SECRET, clock).start(0);
        http = new StubHttp(stub, CORP, SECRET);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Nested
    class Unassigned {

        @Test
        void registeredPairsAreListedWithTheirDimissionTime() throws Exception {
            stub.registerUnassigned("wangwu", "wm1");
            http.post("/_unassigned", "[{\"handover_userid\":\"wangwu\",\"external_userid\":\"wm2\",\"dimission_time\":1700000000}]");

            JsonNode r = http.call("externalcontact/get_unassigned_list", "{\"cursor\":\"\",\"page_size\":1000}");

            assertThat(r.path("errcode").asInt()).isZero();
            assertThat(r.path("is_last").asBoolean()).isTrue();
            assertThat(r.path("next_cursor").asText()).isEmpty();
            assertThat(r.path("info")).hasSize(2);
            assertThat(r.path("info").get(0).path("handover_userid").asText()).isEqualTo("wangwu");
            assertThat(r.path("info").get(0).path("dimission_time").asLong()).isEqualTo(START.getEpochSecond());
            assertThat(r.path("info").get(1).path("dimission_time").asLong()).isEqualTo(1_700_000_000L);
            assertThat(http.get("/_unassigned")).hasSize(2);
        }

        @Test
        void pagesFollowTheCursor() throws Exception {
            for (int i = 0; i < 5; i++) {
                stub.registerUnassigned("wangwu", "wm" + i);
            }
            List<String> seen = new ArrayList<>();
            String cursor = "";
            int pages = 0;
            boolean last = false;
            while (!last) {
                JsonNode r = http.call("externalcontact/get_unassigned_list", "{\"cursor\":\"" + cursor + "\",\"page_size\":2}");
                r.path("info").forEach(n -> seen.add(n.path("external_userid").asText()));
                cursor = r.path("next_cursor").asText();
                last = r.path("is_last").asBoolean();
                pages++;
            }

            assertThat(seen).containsExactly("wm0", "wm1", "wm2", "wm3", "wm4");
            assertThat(pages).isEqualTo(3);
        }

        @Test
        void aBadRegistrationIs400() throws Exception {
            assertThat(http.postForResponse("/_unassigned", "{\"handover_userid\":\"wangwu\"}").statusCode()).isEqualTo(400);
        }
    }

    @Nested
    class OnTheJob {

        @Test
        void aTransferWaitsADayThenIsTakenOver() throws Exception {
            JsonNode r = transfer("zhangsan", "lisi", "wm1");

            assertThat(r.path("errcode").asInt()).isZero();
            assertThat(r.path("customer").get(0).path("external_userid").asText()).isEqualTo("wm1");
            assertThat(r.path("customer").get(0).path("errcode").asInt()).isZero();
            JsonNode waiting = result("zhangsan", "lisi").path("customer").get(0);
            assertThat(waiting.path("status").asInt()).isEqualTo(2);
            assertThat(waiting.path("takeover_time").asLong()).isEqualTo(START.plus(Duration.ofDays(1)).getEpochSecond());

            clock.advance(Duration.ofHours(23));
            assertThat(result("zhangsan", "lisi").path("customer").get(0).path("status").asInt()).isEqualTo(2);
            clock.advance(Duration.ofHours(1));
            JsonNode done = result("zhangsan", "lisi").path("customer").get(0);
            assertThat(done.path("status").asInt()).isEqualTo(1);
            assertThat(done.path("takeover_time").asLong()).isEqualTo(START.plus(Duration.ofDays(1)).getEpochSecond());
        }

        @Test
        void theTakeoverMemberServesTheCustomerAfterwards() throws Exception {
            stub.registerContact(new StubContact("wm1", "Li Lei", null, null, 0, List.of("zhangsan")));
            transfer("zhangsan", "lisi", "wm1");

            stub.completeTransfers();

            JsonNode follow = http.get("/cgi-bin/externalcontact/get?external_userid=wm1&access_token=" + http.token())
                    .path("follow_user");
            assertThat(follow).hasSize(1);
            assertThat(follow.get(0).path("userid").asText()).isEqualTo("lisi");
        }

        @Test
        void completeTransfersTakesOverAtOnce() throws Exception {
            transfer("zhangsan", "lisi", "wm1", "wm2");

            assertThat(stub.completeTransfers()).isEqualTo(2);
            clock.advance(Duration.ofMinutes(5));

            JsonNode customers = result("zhangsan", "lisi").path("customer");
            assertThat(customers).extracting(n -> n.path("status").asInt()).containsExactly(1, 1);
            assertThat(customers.get(0).path("takeover_time").asLong()).isEqualTo(START.getEpochSecond());
            assertThat(http.post("/_transfers/complete", "").path("completed").asInt()).isZero();
        }

        @Test
        void aRefusingCustomerIsStatus3() throws Exception {
            transfer("zhangsan", "lisi", "wm1", "wm2");
            stub.refuseTransfer("wm1");
            http.post("/_transfers/refuse", "{\"external_userid\":\"wm3\"}");
            transfer("zhangsan", "lisi", "wm3");
            clock.advance(Duration.ofDays(2));

            JsonNode customers = result("zhangsan", "lisi").path("customer");
            assertThat(customers).extracting(n -> n.path("external_userid").asText() + "=" + n.path("status").asInt())
                    .containsExactly("wm1=3", "wm2=1", "wm3=3");
            assertThat(customers.get(0).path("takeover_time").asLong()).isZero();
        }

        @Test
        void aCustomerTransferredTwiceIn90DaysIsRefused40128() throws Exception {
            transfer("zhangsan", "lisi", "wm1");
            clock.advance(Duration.ofDays(30));
            assertThat(codes(transfer("lisi", "wangwu", "wm1"))).containsExactly(0);
            clock.advance(Duration.ofDays(30));

            assertThat(codes(transfer("wangwu", "zhangsan", "wm1", "wm2"))).containsExactly(40128, 0);

            // 90 days after the first transfer only one is left in the window.
            clock.advance(Duration.ofDays(30));
            assertThat(codes(transfer("wangwu", "zhangsan", "wm1"))).containsExactly(0);
        }

        @Test
        void aWaitingCustomerCannotBeTransferredAgain() throws Exception {
            transfer("zhangsan", "lisi", "wm1");

            assertThat(codes(transfer("zhangsan", "wangwu", "wm1"))).containsExactly(40129);
            assertThat(codes(transfer("zhangsan", "zhangsan", "wm2"))).containsExactly(40130);
        }

        @Test
        void oneCallTakesAtMost100Customers() throws Exception {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 101; i++) {
                ids.add("wm" + i);
            }
            assertThat(transfer("zhangsan", "lisi", ids.toArray(String[]::new)).path("errcode").asInt()).isEqualTo(40058);
            assertThat(transfer("zhangsan", "lisi", ids.subList(0, 100).toArray(String[]::new)).path("customer")).hasSize(100);
        }

        @Test
        void resultsPageAt100() throws Exception {
            for (int batch = 0; batch < 2; batch++) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 75; i++) {
                    ids.add("wm" + batch + "_" + i);
                }
                transfer("zhangsan", "lisi", ids.toArray(String[]::new));
            }

            JsonNode first = result("zhangsan", "lisi");
            assertThat(first.path("customer")).hasSize(100);
            JsonNode second = http.call("externalcontact/transfer_result", "{\"handover_userid\":\"zhangsan\","
                    + "\"takeover_userid\":\"lisi\",\"cursor\":\"" + first.path("next_cursor").asText() + "\"}");
            assertThat(second.path("customer")).hasSize(50);
            assertThat(second.path("next_cursor").asText()).isEmpty();
        }
    }

    @Nested
    class Resigned {

        @Test
        void aDepartedMembersCustomerLeavesTheUnassignedListWhenTransferred() throws Exception {
            stub.registerUnassigned("wangwu", "wm1");
            stub.registerUnassigned("wangwu", "wm2");

            JsonNode r = http.call("externalcontact/resigned/transfer_customer",
                    "{\"handover_userid\":\"wangwu\",\"takeover_userid\":\"lisi\",\"external_userid\":[\"wm1\",\"wm9\"]}");

            assertThat(codes(r)).containsExactly(0, 84061);
            assertThat(unassignedIds()).containsExactly("wm2");
            assertThat(http.call("externalcontact/resigned/transfer_result",
                    "{\"handover_userid\":\"wangwu\",\"takeover_userid\":\"lisi\"}").path("customer").get(0).path("status").asInt())
                    .isEqualTo(2);
            // on-the-job results are a separate list
            assertThat(result("wangwu", "lisi").path("customer")).isEmpty();
        }

        @Test
        void aRefusedCustomerIsUnassignedAgain() throws Exception {
            stub.registerUnassigned("wangwu", "wm1");
            http.call("externalcontact/resigned/transfer_customer",
                    "{\"handover_userid\":\"wangwu\",\"takeover_userid\":\"lisi\",\"external_userid\":[\"wm1\"]}");

            stub.refuseTransfer("wm1");

            assertThat(unassignedIds()).containsExactly("wm1");
        }

        @Test
        void aMemberStillOnTheJobIs40097() throws Exception {
            assertThat(http.call("externalcontact/resigned/transfer_customer",
                    "{\"handover_userid\":\"zhangsan\",\"takeover_userid\":\"lisi\",\"external_userid\":[\"wm1\"]}")
                    .path("errcode").asInt()).isEqualTo(40097);
        }

        @Test
        void the90DayLimitIsForCustomersOfMembersOnTheJob() throws Exception {
            for (int i = 0; i < 3; i++) {
                stub.registerUnassigned("leaver" + i, "wm1");
                assertThat(codes(http.call("externalcontact/resigned/transfer_customer", "{\"handover_userid\":\"leaver" + i
                        + "\",\"takeover_userid\":\"lisi\",\"external_userid\":[\"wm1\"]}"))).containsExactly(0);
                stub.completeTransfers();
            }
        }
    }

    @Test
    void failuresCanBeInjectedForTransfers() throws Exception {
        http.post("/_fail", "{\"api\":\"externalcontact/resigned/transfer_customer\",\"errcode\":-1,\"times\":1}");
        stub.registerUnassigned("wangwu", "wm1");

        String body = "{\"handover_userid\":\"wangwu\",\"takeover_userid\":\"lisi\",\"external_userid\":[\"wm1\"]}";
        assertThat(http.call("externalcontact/resigned/transfer_customer", body).path("errcode").asInt()).isEqualTo(-1);
        assertThat(unassignedIds()).containsExactly("wm1");
        assertThat(http.call("externalcontact/resigned/transfer_customer", body).path("errcode").asInt()).isZero();
        assertThat(stub.calls("externalcontact/resigned/transfer_customer")).extracting(RecordedCall::errcode)
                .containsExactly(-1, 0);
    }

    @Test
    void stateShowsTransfersAndResetForgetsThem() throws Exception {
        stub.registerUnassigned("wangwu", "wm1");
        transfer("zhangsan", "lisi", "wm2");
        stub.refuseTransfer("wm3");

        JsonNode state = http.get("/_state");
        assertThat(state.path("unassigned")).hasSize(1);
        assertThat(state.path("transfers").get(0).path("requested_at").asText()).isEqualTo("2025-06-01T00:00:00Z");
        assertThat(state.path("refuse_next").toString()).isEqualTo("[\"wm3\"]");

        stub.reset();

        JsonNode empty = stub.snapshot();
        assertThat(empty.path("unassigned")).isEmpty();
        assertThat(empty.path("transfers")).isEmpty();
        assertThat(empty.path("refuse_next")).isEmpty();
    }

    // ---- helpers ----

    private JsonNode transfer(String handover, String takeover, String... customers) throws Exception {
        StringBuilder ids = new StringBuilder();
        for (String c : customers) {
            ids.append(ids.length() == 0 ? "" : ",").append('"').append(c).append('"');
        }
        return http.call("externalcontact/transfer_customer", "{\"handover_userid\":\"" + handover
                + "\",\"takeover_userid\":\"" + takeover + "\",\"external_userid\":[" + ids + "]}");
    }

    private JsonNode result(String handover, String takeover) throws Exception {
        return http.call("externalcontact/transfer_result",
                "{\"handover_userid\":\"" + handover + "\",\"takeover_userid\":\"" + takeover + "\",\"cursor\":\"\"}");
    }

    private static List<Integer> codes(JsonNode transferReply) {
        List<Integer> out = new ArrayList<>();
        transferReply.path("customer").forEach(n -> out.add(n.path("errcode").asInt()));
        return out;
    }

    private List<String> unassignedIds() throws Exception {
        List<String> out = new ArrayList<>();
        http.call("externalcontact/get_unassigned_list", "{}").path("info")
                .forEach(n -> out.add(n.path("external_userid").asText()));
        return out;
    }
}
