package dev.siyu.core.gate;

import dev.siyu.core.profile.StaffRelationship;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/** A tenant in Shanghai and a customer who is zhangsan's contact and granted marketing consent. */
final class Fixtures {
    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final String CUSTOMER = "c-1";
    static final String STAFF = "zhangsan";
    static final String OTHER_STAFF = "lisi";
    static final Instant LONG_AGO = Instant.parse("2023-01-01T00:00:00Z");

    static final OutreachGate GATE = new OutreachGate(Guardrails.DEFAULTS, SHANGHAI);

    private Fixtures() {
    }

    static CustomerState customer() {
        return CustomerState.of(CUSTOMER)
                .withConsent(Consent.grantedAt(LONG_AGO))
                .withRelationship(StaffRelationship.started(STAFF, "parcel_card_east", LONG_AGO, false));
    }

    /** A local date-time in zone, e.g. at("2024-03-05T23:00", SHANGHAI). */
    static Instant at(String localDateTime, ZoneId zone) {
        return LocalDateTime.parse(localDateTime).atZone(zone).toInstant();
    }

    /** Tuesday 2024-03-05 10:00 in Shanghai: inside business hours, mid-week, mid-month. */
    static Instant tuesdayMorning() {
        return at("2024-03-05T10:00", SHANGHAI);
    }

    static Touch privateMessage(ContentClass content) {
        return Touch.privateMessage(CUSTOMER, STAFF, content);
    }
}
