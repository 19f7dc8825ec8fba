package dev.siyu.functions.miniappapi;

import dev.siyu.core.member.IdentityKeys;
import dev.siyu.core.miniapp.MemberCodes;
import dev.siyu.core.miniapp.MemberDetailsMerge;
import dev.siyu.core.miniapp.StaffEndpoint;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.core.staff.StaffSessions;
import dev.siyu.function.TenantEngines;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The /miniapp/staff routes' entry point. Staff sessions are signed with the sidebar's session key (the WeCom
 * secret's sidebarSessionKey), so a staff member signed in to either is signed in to both; member codes are
 * checked under the key derived from the member token key, the one that issued them.
 */
public class StaffWiring {
    @Produces
    @Singleton
    StaffEndpoint staffEndpoint(TenantEngines engines, PointsLedger ledger, IdentityKeys keys,
                                MemberDetailsMerge merge, Clock clock,
                                @ConfigProperty(name = "siyu.staff.session-key") String sessionKey,
                                @ConfigProperty(name = "siyu.miniapp.token-key") String tokenKey) {
        return new StaffEndpoint(new MemberServicesOnEngines(engines::current, ledger, keys, merge)::current,
                StaffSessions.ofBase64(sessionKey, clock), new MemberCodes(tokenKey.getBytes(StandardCharsets.UTF_8)));
    }
}
