package dev.siyu.functions.staffsidebar;

import dev.siyu.function.TenantEngines;
import dev.siyu.core.staff.StaffSessions;
import dev.siyu.sidebar.SidebarEndpoint;
import dev.siyu.wecom.WeComSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.Base64;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The sidebar's entry point from the shared engine (shared/function builds the rest). */
public class SidebarWiring {
    /**
     * Each request runs on the engine of the tenant's current config. The session key is the base64 of at least
     * 32 random bytes; without it (or with a short one) init fails, loudly, rather than sign with a weak key.
     */
    @Produces
    @Singleton
    SidebarEndpoint sidebarEndpoint(TenantEngines engines, WeComSettings wecom, Clock clock,
                                    @ConfigProperty(name = "siyu.sidebar.session-key") String sessionKey) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(sessionKey.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("SIYU_SIDEBAR_SESSION_KEY must be base64 (openssl rand -base64 32)", e);
        }
        int agentId = wecom.agentId().orElse(WeComSettings.LOCAL_AGENT_ID);
        return new SidebarEndpoint(engines::current, new StaffSessions(key, clock),
                new SidebarEndpoint.App(wecom.corpId(), agentId), clock);
    }
}
