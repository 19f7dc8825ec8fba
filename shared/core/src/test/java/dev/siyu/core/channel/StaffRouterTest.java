package dev.siyu.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.config.RoutingType;
import dev.siyu.core.config.StaffMember;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live_team and sales_team_east fixtures of config/scrm.example.yaml, with chosen loads. */
class StaffRouterTest {
    private static final StaffMember WANGWU = new StaffMember("wangwu", "Wang Wu", List.of("live_team"), 300);
    private static final StaffMember ZHAOLIU = new StaffMember("zhaoliu", "Zhao Liu", List.of("live_team"), 300);
    private static final StaffMember SUNQI = new StaffMember("sunqi", "Sun Qi", List.of("live_team"), 300);
    private static final List<StaffMember> LIVE_TEAM = List.of(WANGWU, ZHAOLIU, SUNQI);

    private static final StaffMember ZHANGSAN = new StaffMember("zhangsan", "Zhang San", List.of("sales_team_east"), 200);
    private static final StaffMember LISI = new StaffMember("lisi", "Li Si", List.of("sales_team_east"), 200);
    private static final List<StaffMember> SALES_TEAM_EAST = List.of(ZHANGSAN, LISI);

    private final StaffRouter router = new StaffRouter();

    private static PoolLoad load(Map<String, Long> active, Map<String, Long> addsToday) {
        return new PoolLoad(active, addsToday, 0);
    }

    private static PoolLoad rotation(long position, Map<String, Long> addsToday) {
        return new PoolLoad(Map.of(), addsToday, position);
    }

    @Test
    void autoAssignPicksTheMemberWithFewestActiveCustomers() {
        PoolLoad load = load(Map.of("zhangsan", 40L, "lisi", 12L), Map.of("zhangsan", 3L, "lisi", 9L));
        assertThat(router.route(RoutingType.AUTO_ASSIGN, SALES_TEAM_EAST, load)).contains(LISI);
    }

    @Test
    void autoAssignSkipsAMemberAtTheDailyAddLimit() {
        PoolLoad load = load(Map.of("zhangsan", 40L, "lisi", 12L), Map.of("lisi", 200L));
        assertThat(router.route(RoutingType.AUTO_ASSIGN, SALES_TEAM_EAST, load)).contains(ZHANGSAN);
    }

    @Test
    void autoAssignWithEveryoneFullIsEmpty() {
        PoolLoad load = load(Map.of(), Map.of("zhangsan", 200L, "lisi", 250L));
        assertThat(router.route(RoutingType.AUTO_ASSIGN, SALES_TEAM_EAST, load)).isEmpty();
    }

    @Test
    void equalActiveCustomersGoToTheOneWithFewerAddsToday() {
        PoolLoad load = load(Map.of("wangwu", 10L, "zhaoliu", 5L, "sunqi", 5L), Map.of("zhaoliu", 7L, "sunqi", 2L));
        assertThat(router.route(RoutingType.AUTO_ASSIGN, LIVE_TEAM, load)).contains(SUNQI);
    }

    @Test
    void fullTieGoesToConfigOrder() {
        PoolLoad load = load(Map.of("wangwu", 10L, "zhaoliu", 5L, "sunqi", 5L), Map.of("zhaoliu", 2L, "sunqi", 2L));
        assertThat(router.route(RoutingType.AUTO_ASSIGN, LIVE_TEAM, load)).contains(ZHAOLIU);
        assertThat(router.route(RoutingType.AUTO_ASSIGN, LIVE_TEAM, PoolLoad.empty())).contains(WANGWU);
    }

    @Test
    void locationBasedRoutesLikeAutoAssignWithinTheStorePool() {
        StaffMember wujiu = new StaffMember("wujiu", "Wu Jiu", List.of("store_staff_hangzhou"), 100);
        StaffMember zhengshi = new StaffMember("zhengshi", "Zheng Shi", List.of("store_staff_hangzhou"), 100);
        PoolLoad load = load(Map.of("wujiu", 8L, "zhengshi", 3L), Map.of("zhengshi", 100L));
        assertThat(router.route(RoutingType.LOCATION_BASED, List.of(wujiu, zhengshi), load)).contains(wujiu);
    }

    @Test
    void roundRobinTakesTheMemberAtTheRotation() {
        assertThat(router.route(RoutingType.ROUND_ROBIN, LIVE_TEAM, rotation(0, Map.of()))).contains(WANGWU);
        assertThat(router.route(RoutingType.ROUND_ROBIN, LIVE_TEAM, rotation(1, Map.of()))).contains(ZHAOLIU);
        assertThat(router.route(RoutingType.ROUND_ROBIN, LIVE_TEAM, rotation(2, Map.of()))).contains(SUNQI);
    }

    @Test
    void roundRobinWrapsAround() {
        assertThat(router.route(RoutingType.ROUND_ROBIN, LIVE_TEAM, rotation(3, Map.of()))).contains(WANGWU);
        assertThat(router.route(RoutingType.ROUND_ROBIN, LIVE_TEAM, rotation(3_000_000_002L, Map.of()))).contains(SUNQI);
        // a counter that wrapped to negative must still land inside the pool
        assertThat(router.route(RoutingType.ROUND_ROBIN, LIVE_TEAM, rotation(-1, Map.of()))).contains(SUNQI);
    }

    @Test
    void roundRobinIgnoresActiveCustomers() {
        PoolLoad load = new PoolLoad(Map.of("zhaoliu", 999L), Map.of(), 1);
        assertThat(router.route(RoutingType.ROUND_ROBIN, LIVE_TEAM, load)).contains(ZHAOLIU);
    }

    @Test
    void roundRobinPassesAFullMembersTurnForward() {
        assertThat(router.route(RoutingType.ROUND_ROBIN, LIVE_TEAM, rotation(1, Map.of("zhaoliu", 300L))))
                .contains(SUNQI);
    }

    @Test
    void roundRobinSkipsFullMembersAcrossTheEndOfThePool() {
        assertThat(router.route(RoutingType.ROUND_ROBIN, LIVE_TEAM, rotation(2, Map.of("sunqi", 300L, "wangwu", 301L))))
                .contains(ZHAOLIU);
    }

    @Test
    void roundRobinWithEveryoneFullIsEmpty() {
        PoolLoad load = rotation(5, Map.of("wangwu", 300L, "zhaoliu", 300L, "sunqi", 300L));
        assertThat(router.route(RoutingType.ROUND_ROBIN, LIVE_TEAM, load)).isEmpty();
    }

    @Test
    void emptyPoolIsEmpty() {
        assertThat(router.route(RoutingType.ROUND_ROBIN, List.of(), PoolLoad.empty())).isEmpty();
        assertThat(router.route(RoutingType.AUTO_ASSIGN, List.of(), PoolLoad.empty())).isEmpty();
    }
}
