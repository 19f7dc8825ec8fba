package dev.siyu.core.ingest;

import dev.siyu.core.member.IdentityResolver;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An email open or click, or a website visit, onto the customer's timeline as {@code interacted} with its
 * kind, and into the activity the dormancy rules and the funnel read (the latest interaction only moves
 * forward, so a late report changes nothing it should not). Recorded once: the event id is the source's, and
 * the same event put again is the same item. An event for nobody known is not recorded (anonymous visitors
 * are not customers).
 */
public final class EventIngest {
    private final String tenant;
    private final CustomerStore customers;
    private final IdentityResolver identities;
    private final Clock clock;

    public EventIngest(String tenant, CustomerStore customers, IdentityResolver identities, Clock clock) {
        this.tenant = tenant;
        this.customers = customers;
        this.identities = identities;
        this.clock = clock;
    }

    /** The customer it was recorded for, empty when nobody is known by its identities. */
    public Optional<String> ingest(Interaction e) {
        Instant now = clock.instant();
        IdentityResolver.Resolution who = identities.resolve(tenant, e.identities(), false, e.source(), now);
        if (who.customerId().isEmpty()) {
            return Optional.empty();
        }
        String customerId = who.customerId().get();
        TimelineEvent event = new TimelineEvent("iev-" + e.source() + "-" + e.eventId(), e.at(), "interacted", null,
                e.details());
        customers.update(tenant, customerId, p -> {
            if (p.activity().lastInteractionAt() != null && !e.at().isAfter(p.activity().lastInteractionAt())) {
                return null;
            }
            return p.withActivity(p.activity().interactedAt(e.at()), now);
        }, List.of(event));
        return Optional.of(customerId);
    }
}
