package dev.siyu.functions.miniappapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.testkit.InjectStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The events/ samples of the function (the ones `sam local invoke -e` uses) do what their names say. */
@QuarkusTest
@QuarkusTestResource(value = IngestStack.Resource.class, restrictToAnnotatedClass = true)
class SampleEventsTest {
    @InjectStack
    IngestStack stack;

    @Test
    void everySampleIsAnsweredAndHasItsEffect() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(stack.services.root().resolve("events"))) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("miniapp-api-ingest-")).sorted()
                    .toList();
        }
        // Orders first: the events name the customer the order created.
        List<String> ordered = Stream.concat(names.stream().filter(n -> n.contains("-order")),
                names.stream().filter(n -> !n.contains("-order"))).toList();
        assertThat(ordered).containsExactly("miniapp-api-ingest-order-refund.json", "miniapp-api-ingest-order.json",
                "miniapp-api-ingest-event-email-click.json", "miniapp-api-ingest-event-email-open.json",
                "miniapp-api-ingest-event-website-visit.json");
        for (String name : ordered) {
            Requests.Reply reply = Requests.invoke(Requests.JSON.readTree(stack.services.event(name)));
            assertThat(reply.status()).as(name + ": " + reply.body()).isEqualTo(200);
            assertThat(reply.body().path("status").asText()).as(name).isIn("recorded", "duplicate");
        }

        String customer = stack.customers.customerIdFor(IngestStack.TENANT, IdentityType.POS, "POS-M-0001").orElseThrow();
        CustomerProfile p = stack.profile(customer);
        assertThat(p.activity().orderCount()).isEqualTo(1);
        assertThat(p.activity().points().balance()).as("388 earned, the 90.00 refund took 90 back").isEqualTo(298);
        assertThat(p.activity().points().tier()).isEqualTo("silver");
        assertThat(stack.timeline(customer, "purchase")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("order_id", "POS-SH01-20260601-0001"));
        assertThat(stack.timeline(customer, "first_purchase")).hasSize(1);
        assertThat(stack.timeline(customer, "refund")).hasSize(1);
        assertThat(stack.timeline(customer, "interacted")).extracting(e -> e.details().get("kind"))
                .containsExactlyInAnyOrder("email_open", "email_click", "website_visit");
        assertThat(stack.entries(customer)).extracting(e -> e.kind().name()).containsExactlyInAnyOrder("EARN", "REVERSE");
    }
}
