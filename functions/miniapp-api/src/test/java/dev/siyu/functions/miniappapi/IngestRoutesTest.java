package dev.siyu.functions.miniappapi;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.ingest.IngestEndpoint;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.testkit.InjectStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * POST /ingest/orders and /ingest/events through the function, against DynamoDB Local: what a source system
 * sees (status and body) and what a member then has (profile, points, timeline), and that everything refused
 * wrote nothing.
 */
@QuarkusTest
@QuarkusTestResource(value = IngestStack.Resource.class, restrictToAnnotatedClass = true)
class IngestRoutesTest {
    private static final String AT = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();

    @InjectStack
    IngestStack stack;

    private static String order(String orderId, String customer, String amount) {
        return "{\"order_id\":\"" + orderId + "\",\"customer\":{" + customer + "},\"amount\":\"" + amount
                + "\",\"currency\":\"CNY\",\"at\":\"" + AT + "\",\"lines\":[{\"sku\":\"SERUM-30ML\",\"category\":"
                + "\"skincare\",\"quantity\":1,\"amount\":\"" + amount + "\"}]}";
    }

    private Requests.Reply post(String path, String source, String body) {
        return Requests.invoke(Requests.signed(path, source, stack.secret(source), body));
    }

    @Test
    void anOrderReplayedFiveTimesEarnsItsPointsOnce() {
        String body = order("R-5001", "\"pos_member_id\":\"M-5001\"", "388.00");
        Requests.Reply first = post(IngestEndpoint.ORDERS, "pos", body);
        for (int i = 0; i < 4; i++) {
            Requests.Reply again = post(IngestEndpoint.ORDERS, "pos", body);
            assertThat(again.status()).isEqualTo(200);
            assertThat(again.body().path("status").asText()).isEqualTo("duplicate");
        }

        assertThat(first.status()).isEqualTo(200);
        assertThat(first.body().path("status").asText()).isEqualTo("recorded");
        assertThat(first.body().path("points").asLong()).isEqualTo(388);
        String customer = first.body().path("customer_id").asText();
        CustomerProfile p = stack.profile(customer);
        assertThat(p.activity().points().balance()).isEqualTo(388);
        assertThat(p.activity().orderCount()).isEqualTo(1);
        assertThat(stack.entries(customer)).hasSize(1);
        assertThat(stack.timeline(customer, "purchase")).hasSize(1);
    }

    @Test
    void anEventForAKnownCustomerIsAnInteractionWithItsKind() {
        String customer = post(IngestEndpoint.ORDERS, "webshop", order("W-1", "\"email\":\"li.na@example.com\"", "59.90"))
                .body().path("customer_id").asText();

        Requests.Reply r = post(IngestEndpoint.EVENTS, "email", "{\"event_id\":\"E-1\",\"customer\":{\"email\":"
                + "\"Li.Na@example.com\"},\"kind\":\"email_click\",\"at\":\"" + AT + "\",\"url\":\"https://x.example/a\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("customer_id").asText()).isEqualTo(customer);
        assertThat(stack.timeline(customer, "interacted")).singleElement().satisfies(e -> assertThat(e.details())
                .containsEntry("kind", "email_click").containsEntry("source", "email"));
    }

    @Test
    void anEventForNobodyKnownIsAnsweredAndNotRecorded() {
        long before = stack.itemCount();
        Requests.Reply r = post(IngestEndpoint.EVENTS, "website", "{\"event_id\":\"V-1\",\"customer\":{\"email\":"
                + "\"nobody@example.com\"},\"kind\":\"website_visit\",\"at\":\"" + AT + "\"}");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().path("status").asText()).isEqualTo("unknown_customer");
        assertThat(stack.itemCount()).isEqualTo(before);
    }

    @Test
    void aSignatureThatDoesNotCheckOutIs401AndWritesNothing() {
        String body = order("S-1", "\"pos_member_id\":\"M-S1\"", "10.00");
        long before = stack.itemCount();
        Map<String, ObjectNode> attempts = new LinkedHashMap<>();
        attempts.put("signed with another source's secret", Requests.event(IngestEndpoint.ORDERS, Map.of(
                "x-siyu-source", "pos", "x-siyu-signature", IngestEndpoint.signature(stack.secret("webshop")
                        .getBytes(), body.getBytes())), body));
        attempts.put("body changed after signing", Requests.event(IngestEndpoint.ORDERS, Map.of("x-siyu-source", "pos",
                "x-siyu-signature", IngestEndpoint.signature(stack.secret("pos").getBytes(), body.getBytes())),
                body.replace("10.00", "99.00")));
        attempts.put("no signature", Requests.event(IngestEndpoint.ORDERS, Map.of("x-siyu-source", "pos"), body));
        attempts.put("no source", Requests.event(IngestEndpoint.ORDERS, Map.of("x-siyu-signature",
                IngestEndpoint.signature(stack.secret("pos").getBytes(), body.getBytes())), body));
        attempts.put("a source nobody configured", Requests.event(IngestEndpoint.ORDERS, Map.of("x-siyu-source", "erp",
                "x-siyu-signature", IngestEndpoint.signature(stack.secret("pos").getBytes(), body.getBytes())), body));
        attempts.put("signature not sha256=<hex>", Requests.event(IngestEndpoint.ORDERS, Map.of("x-siyu-source", "pos",
                "x-siyu-signature", "md5=abc"), body));

        attempts.forEach((what, event) -> {
            Requests.Reply r = Requests.invoke(event);
            assertThat(r.status()).as(what).isEqualTo(401);
            assertThat(r.body().path("error").asText()).as(what).isEqualTo("unauthorized");
        });
        assertThat(stack.itemCount()).isEqualTo(before);
    }

    @Test
    void eachBadInputIsA400NamingTheFieldAndWritesNothing() {
        String good = order("B-1", "\"pos_member_id\":\"M-B1\"", "388.00");
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("order_id", good.replace("\"order_id\":\"B-1\",", ""));
        cases.put("customer", good.replace("\"customer\":{\"pos_member_id\":\"M-B1\"}", "\"customer\":{}"));
        cases.put("customer.wechat", good.replace("\"pos_member_id\"", "\"wechat\""));
        cases.put("customer.phone", good.replace("\"pos_member_id\":\"M-B1\"", "\"phone\":\"call me\""));
        cases.put("customer.pos_member_id", good.replace("\"M-B1\"", "\"" + "M".repeat(129) + "\""));
        cases.put("amount", good.replace("\"amount\":\"388.00\",\"currency\"", "\"amount\":388.00,\"currency\""));
        cases.put("currency", good.replace("\"CNY\"", "\"XYZ\""));
        cases.put("at", good.replace(AT, "2026-13-45T10:00:00+08:00"));
        cases.put("lines", good.replace("\"lines\":[{\"sku\":\"SERUM-30ML\",\"category\":\"skincare\",\"quantity\":1,"
                + "\"amount\":\"388.00\"}]", "\"lines\":[]"));
        cases.put("lines[0].quantity", good.replace("\"quantity\":1", "\"quantity\":\"one\""));
        cases.put("lines[0].sku", good.replace("\"SERUM-30ML\"", "\"" + "S".repeat(65) + "\""));
        cases.put("lines[0].amount", good.replace("\"amount\":\"388.00\"}]", "\"amount\":\"3.8.8\"}]"));
        cases.put("color", good.replace("{\"order_id\"", "{\"color\":\"red\",\"order_id\""));
        cases.put("body", "[1,2,3]");
        long before = stack.itemCount();

        cases.forEach((field, body) -> {
            Requests.Reply r = post(IngestEndpoint.ORDERS, "pos", body);
            assertThat(r.status()).as(field + ": " + r.body()).isEqualTo(400);
            assertThat(r.body().path("field").asText()).as(r.body().toString()).isEqualTo(field);
        });
        Requests.Reply kind = post(IngestEndpoint.EVENTS, "email", "{\"event_id\":\"K-1\",\"customer\":{\"email\":"
                + "\"a@b.example\"},\"kind\":\"email_bounce\",\"at\":\"" + AT + "\"}");
        assertThat(kind.status()).isEqualTo(400);
        assertThat(kind.body().path("field").asText()).isEqualTo("kind");
        assertThat(stack.itemCount()).isEqualTo(before);
    }

    @Test
    void aBodyOverTheLimitIsRefusedBeforeItIsRead() {
        String huge = "{\"order_id\":\"H-1\",\"padding\":\"" + "x".repeat(IngestEndpoint.MAX_BODY_BYTES) + "\"}";
        long before = stack.itemCount();

        Requests.Reply r = post(IngestEndpoint.ORDERS, "pos", huge);

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().path("field").asText()).isEqualTo("body");
        assertThat(stack.itemCount()).isEqualTo(before);
    }

    @Test
    void anOrderOnlyABlocklistedPhoneNamesIsNotLinkedToAnyone() {
        long before = stack.itemCount();
        Requests.Reply r = post(IngestEndpoint.ORDERS, "pos", order("BL-1", "\"phone\":\"+86 21 6123 4567\"", "10.00"));

        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().path("field").asText()).isEqualTo("customer");
        assertThat(stack.itemCount()).isEqualTo(before);
    }
}
