package dev.siyu.core.ingest;

import dev.siyu.core.member.Identity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Something a customer did outside WeCom that a source system saw: an email opened or clicked, a website visit.
 * source and eventId name it (sent again, it is recorded once).
 *
 * @param details flat strings shown on the timeline: url, campaign
 */
public record Interaction(String source, String eventId, List<Identity> identities, String kind, Instant at,
                          Map<String, String> details) {
    /** The kinds a source may send; each becomes an {@code interacted} timeline event with that kind. */
    public static final List<String> KINDS = List.of("email_open", "email_click", "website_visit");

    public Interaction {
        identities = List.copyOf(identities);
        details = Map.copyOf(details);
    }
}
