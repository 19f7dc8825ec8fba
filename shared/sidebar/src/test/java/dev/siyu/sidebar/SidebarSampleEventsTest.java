package dev.siyu.sidebar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The events/staff-sidebar-*.json samples (payload 2.0, as `sam local invoke -e` takes them) reach the route
 * their name says. Their session token is signed with config/local.env's key and valid until 2100; the OAuth
 * code and the task id are placeholders a real WeCom and a real desk give.
 */
class SidebarSampleEventsTest {
    static final Path EVENTS = Path.of("../../events");
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void everySampleIsAnsweredByItsRoute() throws IOException {
        SidebarWorld world = new SidebarWorld(localKey());
        world.addCustomer("wmEAST00000000000000000001");
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("staff-sidebar-page.json", 200);
        expected.put("staff-sidebar-session.json", 401);
        expected.put("staff-sidebar-agent-config.json", 200);
        expected.put("staff-sidebar-customer.json", 200);
        expected.put("staff-sidebar-scripts.json", 200);
        expected.put("staff-sidebar-tags.json", 200);
        expected.put("staff-sidebar-marks.json", 200);
        expected.put("staff-sidebar-task-sent.json", 404);
        List<String> names;
        try (Stream<Path> files = Files.list(EVENTS)) {
            names = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("staff-sidebar-")).sorted().toList();
        }
        assertThat(names).containsExactlyInAnyOrderElementsOf(expected.keySet());

        for (String name : names) {
            SidebarEndpoint.Reply reply = world.endpoint.handle(request(json.readTree(EVENTS.resolve(name).toFile())));
            assertThat(reply.status()).as(name + ": " + reply.text()).isEqualTo(expected.get(name));
        }
        assertThat(world.profile()).isNotNull();
    }

    /** What StaffSidebarFunction reads from an API Gateway payload 2.0 event. */
    private SidebarEndpoint.Request request(JsonNode e) {
        Map<String, String> query = new LinkedHashMap<>();
        e.path("queryStringParameters").fields().forEachRemaining(f -> query.put(f.getKey(), f.getValue().asText()));
        Map<String, String> headers = new LinkedHashMap<>();
        e.path("headers").fields().forEachRemaining(f -> headers.put(f.getKey(), f.getValue().asText()));
        return new SidebarEndpoint.Request(e.path("requestContext").path("http").path("method").asText(),
                e.path("rawPath").asText(), query, headers, e.hasNonNull("body") ? e.get("body").asText() : null,
                e.path("isBase64Encoded").asBoolean(false));
    }

    static byte[] localKey() throws IOException {
        for (String line : Files.readAllLines(Path.of("../../config/local.env"))) {
            if (line.startsWith("SIYU_SIDEBAR_SESSION_KEY=")) {
                return Base64.getDecoder().decode(line.substring(line.indexOf('=') + 1).trim());
            }
        }
        throw new IllegalStateException("config/local.env has no SIYU_SIDEBAR_SESSION_KEY");
    }
}
