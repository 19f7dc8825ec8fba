package dev.siyu.core.member;

import dev.siyu.core.config.Membership;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.profile.CustomerLookup;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.ProfileMerge;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.TimelineEvent;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One customer across channels: the identities a message carries (an order's POS member id and phone, a Mini
 * Program login's openid and unionid) resolve to one customer id through alias items. Unknown everywhere: a
 * customer is created, its id derived from the first identity (so two concurrent first orders create one). Known
 * under two customers: the link joins them and they are merged ({@link CustomerMerge}), unless they hold
 * different values of one identity type (two different unionids cannot be one person): that link is refused and
 * logged, never silently merged. Blocklisted values (a store's own phone, test accounts) are never used to find,
 * create or link anyone.
 */
public final class IdentityResolver {
    public static final String CONFLICTS_SUBJECT = "IDENTITY_CONFLICTS";
    private static final System.Logger LOG = System.getLogger(IdentityResolver.class.getName());

    private final CustomerStore customers;
    private final CustomerMerge merge;
    private final Membership membership;
    private final TenantLog log;

    public IdentityResolver(CustomerStore customers, CustomerMerge merge, Membership membership, TenantLog log) {
        this.customers = customers;
        this.merge = merge;
        this.membership = membership;
        this.log = log;
    }

    /**
     * @param customerId the one customer, empty when nothing usable was given or (create false) nobody is known
     * @param fresh      the new customer's profile (version 0) when this resolution made the customer up: the caller's
     *                   first write creates it (an order's ledger entry, a login's profile)
     * @param refused    what was not used, in the operator's words (never a value): "phone blocklisted", ...
     * @param stored     the customer's profile as this resolution last read it (a writer may start from it and
     *                   retry on a newer version), empty when new or not read
     */
    public record Resolution(Optional<String> customerId, Optional<CustomerProfile> fresh, List<String> refused,
                             Optional<CustomerProfile> stored) {
        public Resolution {
            refused = List.copyOf(refused);
        }

        public Resolution(Optional<String> customerId, Optional<CustomerProfile> fresh, List<String> refused) {
            this(customerId, fresh, refused, Optional.empty());
        }

        public boolean created() {
            return fresh.isPresent();
        }
    }

    /**
     * Resolves ids (the first is the primary one: a new customer's id derives from it) to one customer,
     * linking the ones not linked yet. source names who sent them (pos, web, miniapp), for the new customer's
     * channel and the audit.
     */
    public Resolution resolve(String tenant, List<Identity> ids, boolean create, String source, Instant now) {
        List<String> refused = new ArrayList<>();
        List<Identity> usable = new ArrayList<>();
        for (Identity id : ids) {
            if (membership.blocked(id.type(), id.plain())) {
                refused.add(id.type().key() + " blocklisted");
                LOG.log(Level.INFO, JsonLog.line("identity blocklisted: not linked", "tenant", tenant,
                        "type", id.type().key(), "source", source));
            } else {
                usable.add(id);
            }
        }
        if (usable.isEmpty()) {
            return new Resolution(Optional.empty(), Optional.empty(), refused);
        }
        // Profiles read once per resolution (every read is strongly consistent); a merge clears them.
        Map<String, Optional<CustomerProfile>> read = new java.util.HashMap<>();
        Map<Identity, String> owners = new LinkedHashMap<>();
        Map<String, String> unfinished = new LinkedHashMap<>();
        for (Identity id : usable) {
            owner(tenant, id, read, unfinished).ifPresent(o -> owners.put(id, o));
        }
        // A merge cut short after its mark: finished before anything is written to the survivor.
        for (Map.Entry<String, String> m : unfinished.entrySet()) {
            merge.merge(tenant, m.getKey(), m.getValue(), "resumed", now);
            read.clear();
        }
        Set<String> distinct = new LinkedHashSet<>(owners.values());
        String customerId;
        CustomerProfile created = null;
        if (distinct.isEmpty()) {
            if (!create) {
                return new Resolution(Optional.empty(), Optional.empty(), refused);
            }
            Identity primary = usable.get(0);
            String candidate = newCustomerId(primary);
            customerId = customers.claimIdentity(tenant, primary.type(), primary.value(), candidate);
            if (customerId.equals(candidate)) {
                Map<String, String> identities = new LinkedHashMap<>();
                identities.put(primary.type().key(), primary.value());
                created = new CustomerProfile(tenant, candidate, null, null, source, source, null, null, Set.of(),
                        Map.of(), identities, now, now);
            } else if (profile(tenant, customerId, read).isEmpty()) {
                // Claimed by a first message that has not written its profile yet (or never will: it failed).
                created = new CustomerProfile(tenant, customerId, null, null, source, source, null, null, Set.of(),
                        Map.of(), Map.of(primary.type().key(), primary.value()), now, now);
            }
            owners.put(primary, customerId);
        } else {
            customerId = distinct.iterator().next();
            for (String other : distinct) {
                if (other.equals(customerId)) {
                    continue;
                }
                Optional<String> joined = join(tenant, customerId, other, linkOf(owners, other), now, read);
                if (joined.isEmpty()) {
                    refused.add(linkOf(owners, other) + " conflicts");
                    continue;
                }
                customerId = joined.get();
            }
            if (profile(tenant, customerId, read).isEmpty()) {
                // Claimed by a first message that has not written its profile yet (or failed before it could).
                created = new CustomerProfile(tenant, customerId, null, null, source, source, null, null, Set.of(),
                        Map.of(), Map.of(), now, now);
            }
        }
        if (created == null) {
            boolean changed = link(tenant, customerId, usable, owners, refused, now, read);
            Optional<CustomerProfile> stored = changed ? Optional.empty() : read.getOrDefault(customerId, Optional.empty());
            return new Resolution(Optional.of(customerId), Optional.empty(), refused, stored);
        }
        created = linkFresh(tenant, created, usable, refused, now);
        return new Resolution(Optional.of(customerId), Optional.of(created), refused);
    }

    /** The customer an identity points at now, following a merged profile to its survivor. */
    public Optional<String> owner(String tenant, Identity id) {
        return owner(tenant, id, new java.util.HashMap<>(), new java.util.HashMap<>());
    }

    private Optional<String> owner(String tenant, Identity id, Map<String, Optional<CustomerProfile>> read,
                                   Map<String, String> unfinished) {
        Optional<String> direct = id.type() == IdentityType.EXTERNAL_USERID
                ? Optional.of(new CustomerLookup(customers).customerIdOf(tenant, id.value()))
                .filter(c -> profile(tenant, c, read).isPresent())
                : customers.customerIdFor(tenant, id.type(), id.value());
        return direct.map(c -> survivor(tenant, c, read, unfinished));
    }

    private Optional<CustomerProfile> profile(String tenant, String customerId,
                                              Map<String, Optional<CustomerProfile>> read) {
        return read.computeIfAbsent(customerId, c -> customers.profile(tenant, c));
    }

    /** Follows merged_into to the survivor, noting in unfinished each hop whose survivor does not list it yet. */
    private String survivor(String tenant, String customerId, Map<String, Optional<CustomerProfile>> read,
                            Map<String, String> unfinished) {
        String c = customerId;
        for (int hops = 0; hops < 8; hops++) {
            Optional<String> into = profile(tenant, c, read).flatMap(CustomerProfile::mergedInto);
            if (into.isEmpty()) {
                return c;
            }
            String absorbed = c;
            c = into.get();
            if (profile(tenant, c, read).filter(s -> !ProfileMerge.mergedFrom(s).contains(absorbed)).isPresent()) {
                unfinished.put(absorbed, c);
            }
        }
        return c;
    }

    /** Merges two customers joined by a link; empty when they clash (the link is refused and logged). */
    private Optional<String> join(String tenant, String a, String b, String by, Instant now,
                                  Map<String, Optional<CustomerProfile>> read) {
        Optional<CustomerProfile> pa = profile(tenant, a, read);
        Optional<CustomerProfile> pb = profile(tenant, b, read);
        if (pa.isEmpty() || pb.isEmpty()) {
            return Optional.of(pa.isPresent() ? a : b);
        }
        Optional<String> clash = clash(pa.get(), pb.get());
        if (clash.isPresent()) {
            refuse(tenant, a, b, clash.get(), by, now);
            return Optional.empty();
        }
        String survivor = CustomerMerge.survivorOf(pa.get(), pb.get());
        merge.merge(tenant, survivor.equals(a) ? b : a, survivor, by, now);
        read.clear();
        return Optional.of(survivor);
    }

    /** Links the identities not yet pointing at customerId: an alias and the profile's identities entry each. */
    /** True when it wrote the profile (a new identity entry). */
    private boolean link(String tenant, String customerId, List<Identity> ids, Map<Identity, String> owners,
                         List<String> refused, Instant now, Map<String, Optional<CustomerProfile>> read) {
        List<Identity> linked = new ArrayList<>();
        Optional<CustomerProfile> profile = profile(tenant, customerId, read);
        for (Identity id : ids) {
            if (customerId.equals(owners.get(id)) && profile.map(p -> id.value().equals(p.identities()
                    .get(id.type().key()))).orElse(false)) {
                continue;
            }
            String held = profile.map(p -> p.identities().get(id.type().key())).orElse(null);
            if (held != null && !held.equals(id.value())) {
                refused.add(id.type().key() + " conflicts");
                refuse(tenant, customerId, owners.getOrDefault(id, "-"), id.type().key(), id.type().key(), now);
                continue;
            }
            if (owners.get(id) == null) {
                String holder = customers.claimIdentity(tenant, id.type(), id.value(), customerId);
                if (!holder.equals(customerId)) {
                    // Claimed by someone else in between: the next message carrying both finds and joins them.
                    refused.add(id.type().key() + " linked elsewhere meanwhile");
                    continue;
                }
            } else if (!owners.get(id).equals(customerId)) {
                continue;
            }
            linked.add(id);
        }
        if (linked.isEmpty()) {
            return false;
        }
        customers.update(tenant, customerId, p -> {
            CustomerProfile next = p;
            for (Identity id : linked) {
                if (!id.value().equals(next.identities().get(id.type().key()))) {
                    next = next.withIdentity(id.type(), id.value(), now);
                }
            }
            return next == p ? null : next;
        }, List.of());
        return true;
    }

    /** A new customer's other identities: claimed now, written with its profile by the caller. */
    private CustomerProfile linkFresh(String tenant, CustomerProfile fresh, List<Identity> ids, List<String> refused,
                                      Instant now) {
        CustomerProfile next = fresh;
        for (Identity id : ids) {
            if (next.identities().containsKey(id.type().key())) {
                continue;
            }
            String holder = customers.claimIdentity(tenant, id.type(), id.value(), fresh.customerId());
            if (holder.equals(fresh.customerId())) {
                next = next.withIdentity(id.type(), id.value(), now);
            } else {
                refused.add(id.type().key() + " linked elsewhere meanwhile");
            }
        }
        return next;
    }

    /** The identity type both hold with different values, if any: then they are two people. */
    static Optional<String> clash(CustomerProfile a, CustomerProfile b) {
        for (IdentityType t : IdentityType.values()) {
            String va = a.identities().get(t.key());
            String vb = b.identities().get(t.key());
            if (va != null && vb != null && !va.equals(vb)) {
                return Optional.of(t.key());
            }
        }
        return Optional.empty();
    }

    private void refuse(String tenant, String a, String b, String type, String by, Instant now) {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("customer", a);
        d.put("other", b);
        d.put("clashing", type);
        d.put("link", by);
        log.append(tenant, CONFLICTS_SUBJECT, new TimelineEvent("conflict-" + a + "-" + b + "-" + type + "-"
                + now.toEpochMilli(), now, "link_refused", null, d));
        LOG.log(Level.WARNING, JsonLog.line("conflicting identity link refused", "tenant", tenant, "customer", a,
                "other", b, "clashing", type, "link", by));
    }

    private static String linkOf(Map<Identity, String> owners, String customer) {
        return owners.entrySet().stream().filter(e -> e.getValue().equals(customer)).map(e -> e.getKey().type().key())
                .findFirst().orElse("identity");
    }

    /** A WeCom contact keeps the wx- id; anyone else gets an id derived from the identity (no value in it). */
    static String newCustomerId(Identity primary) {
        if (primary.type() == IdentityType.EXTERNAL_USERID) {
            return CustomerLookup.wecomCustomerId(primary.value());
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((primary.type().key() + ":" + primary.value())
                    .getBytes(StandardCharsets.UTF_8));
            return "m-" + HexFormat.of().formatHex(h, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
