package dev.siyu.core.config;

import dev.siyu.core.channel.Placeholders;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/** {@code staff} (who receives customers, in which pools, how many a day, their roles) and {@code stores}. */
final class StaffReader {
    static final List<String> STAFF_KEYS = List.of("user_id", "name", "pools", "daily_add_limit", "roles");
    static final List<String> STORE_KEYS = List.of("store_id", "store_name", "city");

    private final ProblemLog log;

    StaffReader(ProblemLog log) {
        this.log = log;
    }

    Roster read(YamlMap top) {
        SortedSet<String> pools = new TreeSet<>();
        List<StaffMember> staff = staff(top, pools);
        List<YamlMap> storeItems = top.maps("stores", false).orElse(List.of());
        return new Roster(staff, pools, stores(storeItems), storeItems.size());
    }

    private List<StaffMember> staff(YamlMap top, Set<String> knownPools) {
        List<StaffMember> staff = new ArrayList<>();
        List<YamlMap> items = top.maps("staff", true).orElse(null);
        if (items == null) {
            return staff;
        }
        if (items.isEmpty()) {
            log.add(top.at("staff"), "at least one staff member is needed to receive customers");
        }
        UniqueNames userIds = new UniqueNames(log, "user_id");
        for (YamlMap item : items) {
            item.allowOnly(STAFF_KEYS);
            Optional<String> userId = item.string("user_id", true);
            Optional<String> name = item.string("name", true);
            Optional<List<YamlMap.Item>> pools = item.strings("pools", true);
            Optional<Integer> limit = item.integer("daily_add_limit", true).filter(l -> {
                if (l >= ConfigLoader.MIN_DAILY_ADD_LIMIT && l <= ConfigLoader.MAX_DAILY_ADD_LIMIT) {
                    return true;
                }
                log.add(item.at("daily_add_limit"), "daily_add_limit " + l + " is outside "
                        + ConfigLoader.MIN_DAILY_ADD_LIMIT + ".." + ConfigLoader.MAX_DAILY_ADD_LIMIT);
                return false;
            });
            pools.ifPresent(ps -> ps.forEach(pool -> {
                if (Placeholders.find(pool.value()).isEmpty()) {
                    knownPools.add(pool.value());
                } else {
                    log.add(pool.where(), "a staff member's pool is a concrete name such as store_staff_shanghai;"
                            + " '" + pool.value() + "' with {placeholders} belongs in a channel code's staff_pool");
                }
            }));
            Optional<List<String>> roles = roles(item);
            userId.ifPresent(id -> userIds.add(id, item.at("user_id")));
            if (userId.isPresent() && name.isPresent() && pools.isPresent() && limit.isPresent() && roles.isPresent()) {
                staff.add(new StaffMember(userId.get(), name.get(), YamlMap.Item.values(pools.get()), limit.get(),
                        roles.get()));
            }
        }
        return staff;
    }

    /** The member's roles (none when the key is absent); empty Optional when one is not a known role. */
    private Optional<List<String>> roles(YamlMap item) {
        Optional<List<YamlMap.Item>> written = item.strings("roles", false);
        if (written.isEmpty()) {
            // absent, or not a list (already reported)
            return item.has("roles") ? Optional.empty() : Optional.of(List.of());
        }
        boolean known = true;
        for (YamlMap.Item role : written.get()) {
            if (!StaffMember.ROLES.contains(role.value())) {
                log.add(role.where(), Suggestions.unknown("staff role", role.value(), StaffMember.ROLES));
                known = false;
            }
        }
        return known ? Optional.of(YamlMap.Item.values(written.get())) : Optional.empty();
    }

    private List<Store> stores(List<YamlMap> items) {
        List<Store> stores = new ArrayList<>();
        UniqueNames storeIds = new UniqueNames(log, "store_id");
        for (YamlMap item : items) {
            item.allowOnly(STORE_KEYS);
            Optional<String> storeId = item.string("store_id", true);
            Optional<String> storeName = item.string("store_name", true);
            Optional<String> city = item.string("city", true);
            storeId.ifPresent(id -> storeIds.add(id, item.at("store_id")));
            if (storeId.isPresent() && storeName.isPresent() && city.isPresent()) {
                stores.add(new Store(storeId.get(), storeName.get(), city.get()));
            }
        }
        return stores;
    }
}
