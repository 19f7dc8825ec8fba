package dev.siyu.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.profile.CustomerLookup;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.EmbeddedStack;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code ./siyu profile}: one customer's profile and timeline from a running stack's table. */
final class ProfileCommand {
    private ProfileCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) throws JsonProcessingException {
        CliArgs args = CliArgs.parse(argv, Set.of(), Set.of("external-user-id", "dynamodb", "tenant", "table"));
        String externalUserId = args.required("external-user-id");
        TableReader table = TableReader.of(args.uri("dynamodb", ChannelsCommand.DEFAULT_DYNAMODB),
                args.string("table", EmbeddedStack.TABLE));
        String tenant = args.string("tenant", ChannelsCommand.DEFAULT_TENANT);
        Optional<CustomerProfile> profile = find(table.customers(), tenant, externalUserId);
        if (profile.isEmpty()) {
            err.println("no customer with external_userid " + externalUserId + " for tenant " + tenant);
            return 1;
        }
        List<TimelineEvent> timeline = table.customers().timeline(tenant, profile.get().customerId());
        out.println(new ObjectMapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(toJson(profile.get(), timeline)));
        return 0;
    }

    static Optional<CustomerProfile> find(CustomerStore customers, String tenant, String externalUserId) {
        return new CustomerLookup(customers).byExternalUserId(tenant, externalUserId);
    }

    static ObjectNode toJson(CustomerProfile p, List<TimelineEvent> timeline) {
        ObjectNode o = new ObjectMapper().createObjectNode();
        o.put("customer_id", p.customerId());
        o.put("name", p.name());
        o.put("avatar", p.avatar());
        o.put("channel", p.channel());
        o.put("channel_name", p.channelName());
        o.put("store_id", p.storeId());
        o.put("city", p.city());
        ArrayNode tags = o.putArray("tags");
        p.tags().forEach(tags::add);
        ArrayNode staff = o.putArray("staff");
        p.relationships().values().stream().sorted(Comparator.comparing(StaffRelationship::staffUserId)).forEach(r -> {
            ObjectNode s = staff.addObject();
            s.put("user_id", r.staffUserId());
            s.put("status", r.status().name().toLowerCase());
            s.put("state", r.state());
            s.put("since", text(r.since()));
            s.put("ended_at", text(r.endedAt()));
            s.put("ended_by", r.endedBy() == null ? null : r.endedBy().name().toLowerCase());
        });
        ObjectNode identities = o.putObject("identities");
        p.identities().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                .forEach(e -> identities.put(e.getKey(), e.getValue()));
        o.put("created_at", text(p.createdAt()));
        o.put("updated_at", text(p.updatedAt()));
        ArrayNode events = o.putArray("timeline");
        for (TimelineEvent e : timeline) {
            ObjectNode t = events.addObject();
            t.put("at", text(e.at()));
            t.put("kind", e.kind());
            t.put("staff", e.staffUserId());
            ObjectNode details = t.putObject("details");
            e.details().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(d -> details.put(d.getKey(), d.getValue()));
        }
        return o;
    }

    private static String text(Instant at) {
        return at == null ? null : at.toString();
    }
}
