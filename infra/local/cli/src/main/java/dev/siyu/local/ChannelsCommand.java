package dev.siyu.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.channel.ChannelCode;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.EmbeddedStack;
import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** {@code ./siyu channels}: the channel codes stored in a running stack's table. */
final class ChannelsCommand {
    static final String DEFAULT_DYNAMODB = "http://127.0.0.1:8000";
    static final String DEFAULT_TENANT = "demo-brand";

    private ChannelsCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) throws JsonProcessingException {
        CliArgs args = CliArgs.parse(argv, Set.of("json"), Set.of("dynamodb", "tenant", "table"));
        TableReader table = TableReader.of(args.uri("dynamodb", DEFAULT_DYNAMODB),
                args.string("table", EmbeddedStack.TABLE));
        String tenant = args.string("tenant", DEFAULT_TENANT);
        List<ChannelCode> codes = table.channels().all(tenant).stream()
                .sorted(Comparator.comparing(ChannelCode::state)).toList();
        if (args.flag("json")) {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(codes)));
            return 0;
        }
        if (codes.isEmpty()) {
            err.println("no channel codes for tenant " + tenant + " (is ./siyu local running and the blueprint applied?)");
            return 1;
        }
        String fmt = "%-40s %-15s %-16s %-20s %s%n";
        out.printf(fmt, "NAME", "TYPE", "STATE", "STAFF", "QR URL");
        for (ChannelCode c : codes) {
            out.printf(fmt, c.name(), c.type().configName(), c.state(), String.join(",", c.staff()), c.qrUrl());
        }
        return 0;
    }

    static ArrayNode toJson(List<ChannelCode> codes) {
        ObjectMapper json = new ObjectMapper();
        ArrayNode array = json.createArrayNode();
        for (ChannelCode c : codes) {
            ObjectNode o = array.addObject();
            o.put("name", c.name());
            o.put("type", c.type().configName());
            o.put("state", c.state());
            ArrayNode staff = o.putArray("staff");
            c.staff().forEach(staff::add);
            o.put("qr_url", c.qrUrl());
        }
        return array;
    }
}
