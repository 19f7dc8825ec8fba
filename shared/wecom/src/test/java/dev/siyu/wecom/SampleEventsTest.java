package dev.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.event.WeComEvent;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * events/wecom-callback-*.json are what SampleEventsGenerator produces today, and each one opens
 * with the local.env settings into the event it is named for. Regenerate with
 * {@code ./mvnw -B install -pl shared/wecom -am -Dsiyu.events.regenerate=true}.
 */
class SampleEventsTest {

    final WeComSettings settings = LocalEnv.settings();
    final SampleEventsGenerator generator = new SampleEventsGenerator(settings);
    final Path events = LocalEnv.repoRoot().resolve("events");
    final ObjectMapper json = new ObjectMapper();

    /** Before any test reads the files, whatever order JUnit picks. */
    @BeforeAll
    static void regenerateWhenAsked() throws IOException {
        if (Boolean.getBoolean("siyu.events.regenerate")) {
            SampleEventsGenerator.main(new String[0]);
        }
    }

    @Test
    void committedSamplesAreUpToDate() throws IOException {
        Map<String, String> generated = generator.files();
        for (Map.Entry<String, String> f : generated.entrySet()) {
            Path file = events.resolve(f.getKey());
            assertThat(file).as("%s is missing: regenerate with -Dsiyu.events.regenerate=true", file).exists();
            assertThat(Files.readString(file))
                    .as("%s is stale: regenerate with -Dsiyu.events.regenerate=true", file)
                    .isEqualTo(f.getValue());
        }
        Set<String> onDisk = new HashSet<>();
        try (Stream<Path> files = Files.list(events)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("wecom-callback-")).forEach(onDisk::add);
        }
        assertThat(onDisk).as("wecom-callback samples the generator no longer writes").isEqualTo(generated.keySet());
    }

    @Test
    void generationIsDeterministic() {
        assertThat(new SampleEventsGenerator(settings).files()).isEqualTo(generator.files());
    }

    @Test
    void everySampleOpensToItsEvent() throws IOException {
        CallbackVerifier verifier = new CallbackVerifier(settings);
        Set<Long> createTimes = new HashSet<>();
        for (Map.Entry<String, WeComEvent> e : generator.expectedEvents().entrySet()) {
            JsonNode event = json.readTree(events.resolve(e.getKey()).toFile());
            Map<String, String> query = new LinkedHashMap<>();
            event.path("queryStringParameters").fields().forEachRemaining(q -> query.put(q.getKey(), q.getValue().asText()));
            assertThat(parseRawQuery(event.path("rawQueryString").asText())).isEqualTo(query);
            assertThat(event.path("version").asText()).isEqualTo("2.0");
            assertThat(event.path("rawPath").asText()).isEqualTo("/wecom/callback");
            assertThat(event.path("isBase64Encoded").asBoolean(true)).isFalse();
            String method = event.path("requestContext").path("http").path("method").asText();
            assertThat(event.path("routeKey").asText()).isEqualTo(method + " /wecom/callback");

            if (e.getValue() == null) {
                assertThat(method).isEqualTo("GET");
                assertThat(verifier.verifyUrl(query)).isEqualTo(SampleEventsGenerator.ECHO);
            } else {
                assertThat(method).isEqualTo("POST");
                assertThat(event.path("headers").path("content-type").asText()).isEqualTo("text/xml");
                WeComEvent opened = verifier.verify(query, event.path("body").asText());
                assertThat(opened).as(e.getKey()).isEqualTo(e.getValue());
                assertThat(createTimes.add(opened.createdAt().getEpochSecond())).as("distinct CreateTime").isTrue();
            }
        }
    }

    @Test
    void theNamedSamplesCarryTheOperatorsChannels() {
        Map<String, WeComEvent> e = generator.expectedEvents();
        assertThat(e.get("wecom-callback-add-external-contact.json")).isInstanceOfSatisfying(WeComEvent.ContactAdded.class, c -> {
            assertThat(c.staffUserId()).isEqualTo("zhangsan");
            assertThat(c.externalUserId()).isEqualTo("wmEAST00000000000000000001");
            assertThat(c.state()).isEqualTo("parcel_card_east");
            assertThat(c.welcomeCode()).isNotBlank();
        });
        assertThat(e.get("wecom-callback-add-external-contact-livestream.json"))
                .extracting("staffUserId", "state").containsExactly("wangwu", "livestream_qr");
        assertThat(e.get("wecom-callback-add-external-contact-in-store.json"))
                .extracting("staffUserId", "state").containsExactly("zhouba", "in_store.sh01");
        assertThat(e.get("wecom-callback-add-half-external-contact.json")).extracting("half").isEqualTo(true);
        assertThat(e.keySet()).hasSize(15).allMatch(n -> n.startsWith("wecom-callback-") && n.endsWith(".json"));
        assertThat(new ArrayList<>(e.values()).subList(1, 15)).doesNotContainNull();
    }

    private static Map<String, String> parseRawQuery(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}
