package dev.siyu.core.profile;

import dev.siyu.core.port.CustomerStore;
import java.util.Optional;

/**
 * Finds customers by WeCom external_userid. A customer who first reached the brand through WeCom
 * has an id derived from that external_userid, so finding them needs no alias item (and creating
 * them writes none: one write unit less per new contact). Only a contact merged into a customer
 * who came from elsewhere first (a Mini Program member, by unionid) has an external_userid alias.
 */
public final class CustomerLookup {
    private final CustomerStore customers;

    public CustomerLookup(CustomerStore customers) {
        this.customers = customers;
    }

    /** The id a WeCom-first customer gets. */
    public static String wecomCustomerId(String externalUserId) {
        return "wx-" + externalUserId;
    }

    /** The id of the customer this external_userid belongs to, whether or not a profile exists yet. */
    public String customerIdOf(String tenant, String externalUserId) {
        return customers.customerIdFor(tenant, IdentityType.EXTERNAL_USERID, externalUserId)
                .orElse(wecomCustomerId(externalUserId));
    }

    public Optional<CustomerProfile> byExternalUserId(String tenant, String externalUserId) {
        return customers.profile(tenant, customerIdOf(tenant, externalUserId));
    }
}
