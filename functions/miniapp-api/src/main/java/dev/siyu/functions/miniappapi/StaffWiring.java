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
 * The /miniapp/staff routes' entry point. Staff check-in sessions are signed with their own key (the WeCom secret's
 * checkinSessionKey, never the sidebar's: this function is public) and name their audience, so a sidebar session is
 * not one here; member codes are checked under the key derived from the member token key, the one that issued them.
 */
public class StaffWiring {
    @Produces
    @Singleton
    StaffEndpoint staffEndpoint(TenantEngines engines, PointsLedger ledger, IdentityKeys keys,
                                MemberDetailsMerge merge, Clock clock,
                                @ConfigProperty(name = "siyu.staff.session-key") String sessionKey,
                                @ConfigProperty(name = "siyu.miniapp.token-key") String tokenKey) {
        return new StaffEndpoint(new MemberServicesOnEngines(engines::current, ledger, keys, merge)::current,
                StaffSessions.ofBase64(sessionKey, clock, StaffSessions.CHECK_IN), new MemberCodes(tokenKey.getBytes(StandardCharsets.UTF_8)));
    }
}
