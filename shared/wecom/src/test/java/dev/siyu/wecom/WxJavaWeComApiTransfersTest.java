package dev.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.core.port.WeComApi.TransferOutcome;
import dev.siyu.core.port.WeComApi.TransferStatus;
import dev.siyu.core.port.WeComApi.Unassigned;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.memory.VirtualClock;
import dev.siyu.stack.wecom.InjectedFailure;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.stack.wecom.WeComStub;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * unassigned, transferCustomers and transferResult against the WeCom stub over HTTP, on a clock
 * the test moves: the 24-hour takeover and WeCom's 90-day limit are the stub's, seen through the port.
 */
class WxJavaWeComApiTransfersTest {

    static final WeComSettings LOCAL = LocalEnv.settings();
    static final Instant START = Instant.parse("2025-06-01T00:00:00Z");

    final VirtualClock clock = new VirtualClock(START);
    WeComStub stub;
    WxJavaWeComApi api;

    @BeforeEach
    void start() {
        stub = new WeComStub(LOCAL.corpId(), LOCAL.secret(), clock).start(0);
        api = new WxJavaWeComApi(LOCAL.withApiBaseUrl(stub.baseUrl()));
    }

    @AfterEach
    void stop() {
        api.close();
        stub.close();
    }

    @Nested
    class UnassignedCustomers {

        @Test
        void customersOfDepartedStaffAreListedWithTheDayTheyLeft() {
            stub.registerUnassigned("wangwu", "wm1");
            stub.registerUnassigned("wangwu", "wm2", Instant.ofEpochSecond(1_700_000_000L));

            assertThat(api.unassigned()).containsExactly(
                    new Unassigned("wangwu", "wm1", START.getEpochSecond()),
                    new Unassigned("wangwu", "wm2", 1_700_000_000L));
            JsonNode body = stub.calls("externalcontact/get_unassigned_list").get(0).body();
            assertThat(body.path("page_size").asInt()).isEqualTo(1000);
            assertThat(body.path("cursor").asText()).isEmpty();
        }

        @Test
        void noneIsAnEmptyList() {
            assertThat(api.unassigned()).isEmpty();
        }

        @Test
        void everyPageIsFetched() {
            for (int i = 0; i < 1001; i++) {
                stub.registerUnassigned("wangwu", "wm" + i);
            }

            List<Unassigned> all = api.unassigned();

            assertThat(all).hasSize(1001);
            assertThat(all.get(1000).externalUserId()).isEqualTo("wm1000");
            List<RecordedCall> pages = stub.calls("externalcontact/get_unassigned_list");
            assertThat(pages).hasSize(2);
            assertThat(pages.get(1).body().path("cursor").asText()).isNotEmpty();
        }

        @Test
        void anInjectedErrcodeSurfaces() {
            stub.failNext("externalcontact/get_unassigned_list", InjectedFailure.errcode(48002, 1));

            assertThatThrownBy(() -> api.unassigned())
                    .isInstanceOf(WeComApiException.class)
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(48002);
        }
    }

    @Nested
    class OnTheJob {

        @Test
        void waitingThenTakenOverADayLater() {
            List<TransferOutcome> outcomes = api.transferCustomers("zhangsan", "lisi", List.of("wm1", "wm2"), false);

            assertThat(outcomes).containsExactly(new TransferOutcome("wm1", 0), new TransferOutcome("wm2", 0));
            JsonNode body = stub.calls("externalcontact/transfer_customer").get(0).body();
            assertThat(body.path("handover_userid").asText()).isEqualTo("zhangsan");
            assertThat(body.path("takeover_userid").asText()).isEqualTo("lisi");
            assertThat(body.path("external_userid").toString()).isEqualTo("[\"wm1\",\"wm2\"]");

            List<TransferStatus> waiting = api.transferResult("zhangsan", "lisi", false);
            assertThat(waiting).allMatch(TransferStatus::waiting).hasSize(2);
            assertThat(waiting.get(0).takeoverTime()).isEqualTo(START.plus(Duration.ofDays(1)).getEpochSecond());

            clock.advance(Duration.ofHours(24));

            List<TransferStatus> done = api.transferResult("zhangsan", "lisi", false);
            assertThat(done).allMatch(TransferStatus::done)
                    .extracting(TransferStatus::externalUserId).containsExactly("wm1", "wm2");
            // A virtual day later the cached token had expired on the stub's clock: refreshed unseen.
            assertThat(stub.calls("externalcontact/transfer_result")).extracting(RecordedCall::errcode)
                    .containsExactly(0, 42001, 0);
        }

        @Test
        void completeTransfersTakesOverAtOnce() {
            api.transferCustomers("zhangsan", "lisi", List.of("wm1"), false);
            clock.advance(Duration.ofHours(2));

            stub.completeTransfers();

            assertThat(api.transferResult("zhangsan", "lisi", false)).singleElement()
                    .satisfies(s -> {
                        assertThat(s.done()).isTrue();
                        assertThat(s.takeoverTime()).isEqualTo(START.plus(Duration.ofHours(2)).getEpochSecond());
                    });
        }

        @Test
        void aCustomerWhoRefusesIsStatus3() {
            api.transferCustomers("zhangsan", "lisi", List.of("wm1", "wm2"), false);
            stub.refuseTransfer("wm2");
            clock.advance(Duration.ofDays(1));

            assertThat(api.transferResult("zhangsan", "lisi", false))
                    .extracting(TransferStatus::externalUserId, TransferStatus::status)
                    .containsExactly(tuple("wm1", 1), tuple("wm2", 3));
        }

        @Test
        void aThirdTransferWithin90DaysIsRefusedPerCustomerWith40128() {
            api.transferCustomers("zhangsan", "lisi", List.of("wm1"), false);
            clock.advance(Duration.ofDays(40));
            api.transferCustomers("lisi", "wangwu", List.of("wm1"), false);
            clock.advance(Duration.ofDays(40));

            assertThat(api.transferCustomers("wangwu", "zhangsan", List.of("wm1", "wm2"), false))
                    .containsExactly(new TransferOutcome("wm1", 40128), new TransferOutcome("wm2", 0));
            assertThat(api.transferResult("wangwu", "zhangsan", false))
                    .extracting(TransferStatus::externalUserId).containsExactly("wm2");

            clock.advance(Duration.ofDays(11));
            assertThat(api.transferCustomers("wangwu", "zhangsan", List.of("wm1"), false))
                    .containsExactly(new TransferOutcome("wm1", 0));
        }

        @Test
        void aCustomerAlreadyInTransferIs40129() {
            api.transferCustomers("zhangsan", "lisi", List.of("wm1"), false);

            assertThat(api.transferCustomers("zhangsan", "wangwu", List.of("wm1"), false))
                    .containsExactly(new TransferOutcome("wm1", 40129));
        }

        @Test
        void transferResultFollowsTheCursor() {
            for (int batch = 0; batch < 2; batch++) {
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 75; i++) {
                    ids.add("wm" + batch + "_" + i);
                }
                api.transferCustomers("zhangsan", "lisi", ids, false);
            }

            assertThat(api.transferResult("zhangsan", "lisi", false)).hasSize(150);
            List<RecordedCall> pages = stub.calls("externalcontact/transfer_result");
            assertThat(pages).hasSize(2);
            assertThat(pages.get(0).body().path("cursor").asText()).isEmpty();
            assertThat(pages.get(1).body().path("cursor").asText()).isNotEmpty();
            assertThat(pages.get(1).body().path("handover_userid").asText()).isEqualTo("zhangsan");
        }

        @Test
        void moreThan100OrNoneMakeNoCall() {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 101; i++) {
                ids.add("wm" + i);
            }

            assertThatThrownBy(() -> api.transferCustomers("zhangsan", "lisi", ids, false))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100");
            assertThat(api.transferCustomers("zhangsan", "lisi", List.of(), false)).isEmpty();
            assertThat(stub.calls()).isEmpty();
        }
    }

    @Nested
    class Resigned {

        @Test
        void aDepartedMembersCustomersAreReassigned() {
            stub.registerUnassigned("wangwu", "wm1");
            stub.registerUnassigned("wangwu", "wm2");
            List<String> ids = api.unassigned().stream().map(Unassigned::externalUserId).toList();

            assertThat(api.transferCustomers("wangwu", "lisi", ids, true))
                    .containsExactly(new TransferOutcome("wm1", 0), new TransferOutcome("wm2", 0));
            assertThat(stub.calls("externalcontact/resigned/transfer_customer").get(0).body()
                    .path("handover_userid").asText()).isEqualTo("wangwu");
            assertThat(api.unassigned()).isEmpty();
            assertThat(api.transferResult("wangwu", "lisi", true)).allMatch(TransferStatus::waiting).hasSize(2);
            assertThat(api.transferResult("wangwu", "lisi", false)).isEmpty();

            stub.completeTransfers();

            assertThat(api.transferResult("wangwu", "lisi", true)).allMatch(TransferStatus::done);
            assertThat(stub.calls("externalcontact/resigned/transfer_result")).hasSize(2);
        }

        @Test
        void aRefusedCustomerIsUnassignedAgainForAnotherTry() {
            stub.registerUnassigned("wangwu", "wm1");
            api.transferCustomers("wangwu", "lisi", List.of("wm1"), true);

            stub.refuseTransfer("wm1");

            assertThat(api.transferResult("wangwu", "lisi", true)).singleElement()
                    .extracting(TransferStatus::status).isEqualTo(3);
            assertThat(api.unassigned()).extracting(Unassigned::externalUserId).containsExactly("wm1");
            assertThat(api.transferCustomers("wangwu", "zhaoliu", List.of("wm1"), true))
                    .containsExactly(new TransferOutcome("wm1", 0));
        }

        @Test
        void aMemberStillOnTheJobIs40097() {
            assertThatThrownBy(() -> api.transferCustomers("zhangsan", "lisi", List.of("wm1"), true))
                    .isInstanceOf(WeComApiException.class)
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(40097);
        }

        @Test
        void anInjectedErrcodeOnTheResultSurfacesWithoutRetry() {
            stub.failNext("externalcontact/resigned/transfer_result", InjectedFailure.errcode(40003, 1));

            assertThatThrownBy(() -> api.transferResult("wangwu", "lisi", true))
                    .isInstanceOf(WeComApiException.class)
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(40003);
            assertThat(stub.calls("externalcontact/resigned/transfer_result")).hasSize(1);
        }

        @Test
        void systemBusyOnTheTransferIsRetried() {
            stub.registerUnassigned("wangwu", "wm1");
            stub.failNext("externalcontact/resigned/transfer_customer", InjectedFailure.errcode(-1, 1));

            assertThat(api.transferCustomers("wangwu", "lisi", List.of("wm1"), true))
                    .containsExactly(new TransferOutcome("wm1", 0));
            assertThat(stub.calls("externalcontact/resigned/transfer_customer")).extracting(RecordedCall::errcode)
                    .containsExactly(-1, 0);
        }
    }
}
