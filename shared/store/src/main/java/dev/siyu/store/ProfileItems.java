package dev.siyu.store;

import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Profile and timeline event <-> item. Tenant and customer id live only in the key: the item is
 * found by them, and repeating them would cost bytes (and write units) on every save.
 */
final class ProfileItems {
    private static final String NAME = "name";
    private static final String AVATAR = "avatar";
    private static final String CHANNEL = "channel";
    private static final String CHANNEL_NAME = "channel_name";
    private static final String STORE_ID = "store_id";
    private static final String CITY = "city";
    private static final String TAGS = "tags";
    private static final String RELATIONSHIPS = "relationships";
    private static final String IDENTITIES = "identities";
    private static final String CREATED_AT = "created_at";
    private static final String UPDATED_AT = "updated_at";
    /** The profile's version: each write is conditional on the one its copy was read at. */
    static final String VERSION = "version";

    private static final String R_STATUS = "status";
    private static final String R_STATE = "state";
    private static final String R_SINCE = "since";
    private static final String R_ENDED_AT = "ended_at";
    private static final String R_ENDED_BY = "ended_by";

    private static final String EVENT_ID = "event_id";
    private static final String AT = "at";
    private static final String KIND = "kind";
    private static final String STAFF_USER_ID = "staff_user_id";
    private static final String DETAILS = "details";

    /**
     * How long a timeline event is kept: 400 days covers every question the suite asks of a timeline (7, 30
     * and 90-day windows, a year's comparison) with a month to spare; the profile keeps the lifetime totals.
     */
    static final Duration TIMELINE_RETENTION = Duration.ofDays(400);

    private ProfileItems() {
    }

    /** The item for p written as its next version (p.version() + 1). */
    static Map<String, AttributeValue> profileItem(CustomerProfile p) {
        Map<String, AttributeValue> item = new HashMap<>(SiyuTable.profileKey(p.tenant(), p.customerId()));
        // the keys of the profiles index (SiyuTable.PROFILES_INDEX): fixed per customer, so written once
        item.put(SiyuTable.SCAN_PK, AttributeValue.fromS(SiyuTable.profileShardPk(p.tenant(),
                SiyuTable.profileShard(p.customerId()))));
        item.put(SiyuTable.SCAN_SK, AttributeValue.fromS(p.customerId()));
        Attrs.putString(item, NAME, p.name());
        Attrs.putString(item, AVATAR, p.avatar());
        Attrs.putString(item, CHANNEL, p.channel());
        Attrs.putString(item, CHANNEL_NAME, p.channelName());
        Attrs.putString(item, STORE_ID, p.storeId());
        Attrs.putString(item, CITY, p.city());
        // DynamoDB has no empty string set; an empty list stands in so "no tags" still round-trips.
        item.put(TAGS, p.tags().isEmpty() ? AttributeValue.fromL(List.of()) : AttributeValue.fromSs(List.copyOf(p.tags())));
        Map<String, AttributeValue> relationships = new HashMap<>();
        p.relationships().forEach((staff, r) -> relationships.put(staff, AttributeValue.fromM(relationship(r))));
        item.put(RELATIONSHIPS, AttributeValue.fromM(relationships));
        Map<String, AttributeValue> identities = new HashMap<>();
        p.identities().forEach((type, value) -> identities.put(type, AttributeValue.fromS(value)));
        item.put(IDENTITIES, AttributeValue.fromM(identities));
        Attrs.putInstant(item, CREATED_AT, p.createdAt());
        Attrs.putInstant(item, UPDATED_AT, p.updatedAt());
        ActivityItems.put(item, p.activity());
        item.put(VERSION, Attrs.number(p.version() + 1));
        return item;
    }

    static CustomerProfile profile(String tenant, String customerId, Map<String, AttributeValue> item) {
        Set<String> tags = new TreeSet<>();
        AttributeValue t = item.get(TAGS);
        if (t != null && t.hasSs()) {
            tags.addAll(t.ss());
        } else if (t != null && t.hasL()) {
            t.l().forEach(v -> tags.add(v.s()));
        }
        Map<String, StaffRelationship> relationships = new LinkedHashMap<>();
        AttributeValue rs = item.get(RELATIONSHIPS);
        if (rs != null && rs.hasM()) {
            rs.m().forEach((staff, r) -> relationships.put(staff, relationship(staff, r.m())));
        }
        Map<String, String> identities = new LinkedHashMap<>();
        AttributeValue ids = item.get(IDENTITIES);
        if (ids != null && ids.hasM()) {
            ids.m().forEach((type, v) -> identities.put(type, v.s()));
        }
        return new CustomerProfile(tenant, customerId, Attrs.string(item, NAME), Attrs.string(item, AVATAR),
                Attrs.string(item, CHANNEL), Attrs.string(item, CHANNEL_NAME), Attrs.string(item, STORE_ID),
                Attrs.string(item, CITY), tags, relationships, identities, Attrs.instant(item, CREATED_AT),
                Attrs.instant(item, UPDATED_AT), ActivityItems.read(item),
                item.containsKey(VERSION) ? Attrs.number(item, VERSION) : 0);
    }

    private static Map<String, AttributeValue> relationship(StaffRelationship r) {
        Map<String, AttributeValue> m = new HashMap<>();
        Attrs.putString(m, R_STATUS, r.status() == null ? null : r.status().name());
        Attrs.putString(m, R_STATE, r.state());
        Attrs.putInstant(m, R_SINCE, r.since());
        Attrs.putInstant(m, R_ENDED_AT, r.endedAt());
        Attrs.putString(m, R_ENDED_BY, r.endedBy() == null ? null : r.endedBy().name());
        return m;
    }

    private static StaffRelationship relationship(String staff, Map<String, AttributeValue> m) {
        String status = Attrs.string(m, R_STATUS);
        String endedBy = Attrs.string(m, R_ENDED_BY);
        return new StaffRelationship(staff, status == null ? null : StaffRelationship.Status.valueOf(status),
                Attrs.string(m, R_STATE), Attrs.instant(m, R_SINCE), Attrs.instant(m, R_ENDED_AT),
                endedBy == null ? null : StaffRelationship.EndedBy.valueOf(endedBy));
    }

    static Map<String, AttributeValue> eventItem(String tenant, String customerId, TimelineEvent e) {
        Map<String, AttributeValue> item = new HashMap<>(
                SiyuTable.key(SiyuTable.customerPk(tenant, customerId), SiyuTable.eventSk(e.at(), e.eventId())));
        // retention: DynamoDB's TTL removes the event TIMELINE_RETENTION after it happened (docs/data-model.md)
        item.put(SiyuTable.EXPIRES_AT, Attrs.number(e.at().plus(TIMELINE_RETENTION).getEpochSecond()));
        Attrs.putString(item, EVENT_ID, e.eventId());
        Attrs.putInstant(item, AT, e.at());
        Attrs.putString(item, KIND, e.kind());
        Attrs.putString(item, STAFF_USER_ID, e.staffUserId());
        if (!e.details().isEmpty()) {
            Map<String, AttributeValue> details = new HashMap<>();
            e.details().forEach((k, v) -> details.put(k, AttributeValue.fromS(v)));
            item.put(DETAILS, AttributeValue.fromM(details));
        }
        return item;
    }

    static TimelineEvent event(Map<String, AttributeValue> item) {
        Map<String, String> details = new LinkedHashMap<>();
        AttributeValue d = item.get(DETAILS);
        if (d != null && d.hasM()) {
            d.m().forEach((k, v) -> details.put(k, v.s()));
        }
        return new TimelineEvent(Attrs.string(item, EVENT_ID), Attrs.instant(item, AT), Attrs.string(item, KIND),
                Attrs.string(item, STAFF_USER_ID), details);
    }
}
