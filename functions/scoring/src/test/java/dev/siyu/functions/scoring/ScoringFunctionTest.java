package dev.siyu.functions.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.testkit.InjectStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Each events/scoring-*.json sample through the function, on a tenant of 130 customers who keep buying and 130
 * who stopped 200 days ago: enough of both classes for the XGBoost booster. The nightly job scores everyone and
 * starts churn_early_warning for the ones who stopped; one customer is scored on demand; training on demand
 * says what it trained.
 */
@QuarkusTest
@QuarkusTestResource(ScoringStackResource.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScoringFunctionTest {
    static final String SAMPLE = "wmscoringsample0001";
    static final ObjectMapper JSON = new ObjectMapper();

    @InjectStack
    ScoringStack stack;

    final List<CustomerProfile> steady = new ArrayList<>();
    final List<CustomerProfile> gone = new ArrayList<>();

    @BeforeAll
    void seed() {
        Instant now = stack.clock.instant();
        for (int i = 0; i < 260; i++) {
            boolean keeps = i % 2 == 0;
            CustomerProfile p = i == 0 ? stack.customerWithId(SAMPLE, "zhangsan", 300, Activity.NONE)
                    : stack.customer("zhangsan", 300, Activity.NONE);
            Instant added = p.createdAt();
            List<TimelineEvent> events = new ArrayList<>();
            int gap = 12 + i % 11;
            int stop = keeps ? 295 : 100;
            int n = 0;
            for (int d = 1 + i % 5; d <= stop && (keeps || n < 4); d += gap) {
                Instant at = added.plus(Duration.ofDays(d));
                events.add(new TimelineEvent("ev-" + UUID.randomUUID(), at, "purchase", null,
                        Map.of("amount", String.valueOf(60 + i % 90))));
                n++;
            }
            if (keeps) {
                events.add(new TimelineEvent("ev-" + UUID.randomUUID(), now.minus(Duration.ofDays(2)), "reply", null, Map.of()));
            }
            stack.customers.append(stack.tenant, p.customerId(), events);
            (keeps ? steady : gone).add(p);
        }
    }

    private JsonNode invoke(String sample) {
        return Invoke.summary(stack.services.event(sample));
    }

    @Test
    @Order(1)
    void theNightlyJobScoresEveryoneAndWarnsAboutThoseWhoStopped() {
        JsonNode summary = invoke("scoring-score-customers.json");
        assertThat(summary.path("job").asText()).isEqualTo("score-customers");
        JsonNode r = summary.path("result");
        assertThat(r.path("scored").asInt()).isGreaterThanOrEqualTo(260);
        assertThat(r.path("threshold").asDouble()).isEqualTo(0.7);
        assertThat(r.path("aboveThreshold").asInt()).isGreaterThanOrEqualTo(100);
        long goneAbove = gone.stream().filter(p -> stack.profile(p).activity().churnScore() > 0.7).count();
        long steadyAbove = steady.stream().filter(p -> stack.profile(p).activity().churnScore() > 0.7).count();
        assertThat(goneAbove).isGreaterThanOrEqualTo(120);
        assertThat(steadyAbove).isLessThanOrEqualTo(10);
        CustomerProfile one = stack.profile(gone.get(0));
        assertThat(one.activity().scores().model()).isEqualTo("xgboost");
        assertThat(one.activity().scores().campaignPropensity()).isBetween(0.0, 1.0);
        assertThat(stack.runs.runs(stack.tenant, one.customerId())).extracting(run -> run.journey())
                .contains("churn_early_warning");
    }

    @Test
    @Order(2)
    void oneCustomerIsScoredOnDemand() {
        JsonNode r = invoke("scoring-customer.json");
        assertThat(r.path("customerId").asText()).isEqualTo("wx-" + SAMPLE);
        assertThat(r.path("churn").asDouble()).isBetween(0.0, 0.7);
        assertThat(r.path("scores").path("model").asText()).isEqualTo("xgboost");
        assertThat(r.path("scores").path("probabilityAlive").asDouble()).isGreaterThan(0.5);
    }

    @Test
    @Order(3)
    void trainingOnDemandSaysWhatItTrained() {
        JsonNode r = invoke("scoring-train.json");
        assertThat(r.path("trained").asText()).startsWith("xgboost: ").contains("holdout AUC");
    }

    /**
     * The train-churn job of the catalog: trains once per retrain period (weekly: the week from Monday), so the first
     * run of the week trains whatever day it is (a Monday's training the faults cut short is done the next night),
     * and a second run that week says it trained already.
     */
    @Test
    @Order(3)
    void theTrainChurnJobTrainsOncePerRetrainPeriod() {
        JsonNode summary = invoke("scoring-train-churn.json");
        assertThat(summary.path("job").asText()).isEqualTo("train-churn");
        JsonNode r = summary.path("result");
        assertThat(r.path("retrain").asText()).isEqualTo("weekly");
        assertThat(r.path("due").asBoolean()).isTrue();
        assertThat(r.path("trained").asText()).startsWith("xgboost: ");

        JsonNode again = invoke("scoring-train-churn.json").path("result");
        assertThat(again.path("due").asBoolean()).isFalse();
        assertThat(again.path("trained").asText()).startsWith("trained already this week");
    }

    /** The admin API's route to on-demand scoring: an HTTP API response whose body is the customer's scores. */
    @Test
    @Order(3)
    void theAdminRouteScoresOneCustomerAsJson() throws Exception {
        JsonNode reply = invoke("scoring-admin-score-customer.json");
        assertThat(reply.path("statusCode").asInt()).isEqualTo(200);
        assertThat(reply.path("headers").path("Content-Type").asText()).startsWith("application/json");
        JsonNode body = JSON.readTree(reply.path("body").asText());
        assertThat(body.path("customerId").asText()).isEqualTo("wx-" + SAMPLE);
        assertThat(body.path("churn").asDouble()).isBetween(0.0, 0.7);
        assertThat(body.path("scores").path("model").asText()).isEqualTo("xgboost");
        assertThat(body.path("scores").path("ltvTier").asText()).isIn("top", "high", "medium", "low");
    }

    @Test
    @Order(3)
    void theAdminRouteAnswers404ForACustomerItDoesNotKnowAndForAnotherPath() throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(stack.services.event("scoring-admin-score-customer.json"));
        event.put("rawPath", "/admin/customers/wx-nobody/score");
        ((ObjectNode) event.path("pathParameters")).put("customerId", "wx-nobody");
        JsonNode reply = Invoke.summary(JSON.writeValueAsString(event));
        assertThat(reply.path("statusCode").asInt()).isEqualTo(404);
        assertThat(JSON.readTree(reply.path("body").asText()).path("message").asText()).isEqualTo("no customer wx-nobody");

        event.put("routeKey", "POST /admin/elsewhere");
        event.put("rawPath", "/admin/elsewhere");
        event.remove("pathParameters");
        assertThat(Invoke.summary(JSON.writeValueAsString(event)).path("statusCode").asInt()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void theAdminTrainRouteTrainsNow() throws Exception {
        JsonNode reply = invoke("scoring-admin-train.json");
        assertThat(reply.path("statusCode").asInt()).isEqualTo(200);
        assertThat(JSON.readTree(reply.path("body").asText()).path("trained").asText()).startsWith("xgboost: ")
                .contains("holdout AUC");
    }

    /**
     * Warm latency of on-demand scoring through the function (mock event server, DynamoDB Local over HTTP: one
     * Query for profile, journey runs and timeline; no write, as the same customer's scores do not change between
     * calls). Prints p50, p90 and p99 over 1,000 calls; then the same for the 259 other customers
     * with their stored scores cleared first, so each call writes the profile too. The bound asserted is loose
     * because the machine is shared.
     */
    @Test
    @Order(4)
    void onDemandLatencyWarm() {
        String event = stack.services.event("scoring-customer.json");
        for (int i = 0; i < 50; i++) {
            Invoke.summary(event);
        }
        int calls = 1_000;
        long[] nanos = new long[calls];
        for (int i = 0; i < calls; i++) {
            long t0 = System.nanoTime();
            Invoke.summary(event);
            nanos[i] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(nanos);
        double p50 = nanos[calls / 2] / 1e6;
        double p90 = nanos[(int) (calls * 0.9)] / 1e6;
        double p99 = nanos[(int) (calls * 0.99)] / 1e6;
        System.out.printf("scoring function, one customer on demand, warm: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms%n", p50,
                p90, p99);

        // Customers whose stored scores are out of date (cleared here): each call also writes the profile.
        List<CustomerProfile> stale = new ArrayList<>(steady.subList(1, steady.size()));
        stale.addAll(gone);
        long[] writing = new long[stale.size()];
        for (int i = 0; i < stale.size(); i++) {
            String id = stale.get(i).customerId();
            stack.customers.update(stack.tenant, id, p -> p.withActivity(p.activity().scored(Double.NaN, null),
                    stack.clock.instant()), List.of());
            long t0 = System.nanoTime();
            JsonNode r = Invoke.summary("{\"customerId\": \"" + id + "\"}");
            writing[i] = System.nanoTime() - t0;
            assertThat(r.path("scores").path("model").asText()).isEqualTo("xgboost");
        }
        java.util.Arrays.sort(writing);
        System.out.printf("scoring function, one customer on demand whose scores changed (%d customers): p50 %.1f ms,"
                + " p90 %.1f ms, p99 %.1f ms%n", writing.length, writing[writing.length / 2] / 1e6,
                writing[(int) (writing.length * 0.9)] / 1e6, writing[(int) (writing.length * 0.99)] / 1e6);
        assertThat(stack.profile(gone.get(1)).activity().scores()).isNotNull();
        assertThat(p99).isLessThan(1_000);
    }
}
