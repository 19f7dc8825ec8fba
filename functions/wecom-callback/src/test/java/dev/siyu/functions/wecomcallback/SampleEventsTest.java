package dev.siyu.functions.wecomcallback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.core.profile.CustomerLookup;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.testkit.InjectStack;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The events/ samples (the ones `sam local invoke -e` uses) do what their names say, through the function. */
@QuarkusTest
@QuarkusTestResource(value = SamplesLocalStackResource.class, restrictToAnnotatedClass = true)
class SampleEventsTest {
    @InjectStack
    LocalStack stack;

    @Test
    void everySampleIsAnsweredAndHasItsEffect() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(LocalStack.ROOT.resolve("events"))) {
            // Adds before the events that refer to those customers.
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("wecom-callback-"))
                    .sorted(Comparator.comparing((String n) -> !n.contains("add-")).thenComparing(Comparator.naturalOrder()))
                    .toList();
        }
        assertThat(names).hasSize(15);
        for (String name : names) {
            JsonNode reply = Callbacks.invoke(Callbacks.sample(name));
            assertThat(reply.path("statusCode").asInt()).as(name).isEqualTo(200);
            assertThat(reply.path("body").asText()).as(name)
                    .isEqualTo(name.equals("wecom-callback-verify-url.json") ? "5927782489442352469" : "success");
        }

        List<String> welcomes = stack.stub.calls("externalcontact/send_welcome_msg").stream()
                .map(RecordedCall::body).map(b -> b.path("text").path("content").asText()).toList();
        assertThat(welcomes).anySatisfy(t -> assertThat(t).contains("Zhang San"))
                .anySatisfy(t -> assertThat(t).contains("from the livestream"))
                .anySatisfy(t -> assertThat(t).startsWith("Welcome to Jing'an Flagship!"));
        assertThat(profile("wmEAST00000000000000000001").tags()).contains("package_insert", "east_china", "new_customer");
        assertThat(profile("wmLIVE00000000000000000002").tags()).contains("livestream_referral", "high_intent");
        CustomerProfile store = profile("wmSTORE0000000000000000003");
        assertThat(store.tags()).contains("in_store_customer", "shanghai", "Jing'an Flagship");
        assertThat(store.suppressedThrough("zhouba")).as("del_external_contact ended it").isTrue();
    }

    private CustomerProfile profile(String externalUserId) {
        return new CustomerLookup(stack.customers).byExternalUserId("demo-brand", externalUserId).orElseThrow();
    }
}
