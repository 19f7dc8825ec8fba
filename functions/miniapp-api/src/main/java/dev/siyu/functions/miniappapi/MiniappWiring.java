package dev.siyu.functions.miniappapi;

import dev.siyu.core.member.IdentityKeys;
import dev.siyu.core.miniapp.MemberCodes;
import dev.siyu.core.miniapp.MemberDetailsMerge;
import dev.siyu.core.miniapp.MemberDetailsStore;
import dev.siyu.core.miniapp.MemberEndpoint;
import dev.siyu.core.miniapp.MiniProgram;
import dev.siyu.core.miniapp.PhoneSeal;
import dev.siyu.core.miniapp.SessionTokens;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.function.TenantEngines;
import dev.siyu.store.AwsClients;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoMemberDetailsStore;
import dev.siyu.store.StoreSettings;
import dev.siyu.wecom.WxJavaMiniProgram;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The /miniapp routes' entry point. The Mini Program's app id and secret call WeChat (through WxJava, its host
 * the local stub when siyu.miniapp.api-base-url is set); the token key signs member sessions and the data key
 * seals phone numbers: in AWS both come from the Mini Program secret (template.yaml), locally config/local.env.
 */
public class MiniappWiring {
    @Produces
    @Singleton
    MiniProgram miniProgram(@ConfigProperty(name = "siyu.miniapp.app-id") String appId,
                            @ConfigProperty(name = "siyu.miniapp.secret") String secret,
                            @ConfigProperty(name = "siyu.miniapp.api-base-url") Optional<String> apiBaseUrl) {
        return new WxJavaMiniProgram(appId, secret, apiBaseUrl.orElse(null));
    }

    @Produces
    @Singleton
    MemberDetailsStore memberDetails(AwsClients aws, StoreSettings store) {
        return new DynamoMemberDetailsStore(aws.dynamoDb(), store.tableName(), new CapacityMeter());
    }

    @Produces
    @Singleton
    MemberEndpoint memberEndpoint(TenantEngines engines, PointsLedger ledger, IdentityKeys keys,
                                  MemberDetailsStore details, MemberDetailsMerge merge, MiniProgram wechat,
                                  @ConfigProperty(name = "siyu.miniapp.token-key") String tokenKey,
                                  @ConfigProperty(name = "siyu.miniapp.token-lifetime-minutes") Optional<Integer> minutes,
                                  @ConfigProperty(name = "siyu.miniapp.data-key") String dataKey) {
        SessionTokens tokens = new SessionTokens(tokenKey.getBytes(StandardCharsets.UTF_8),
                minutes.map(m -> Duration.ofMinutes(m)).orElse(SessionTokens.DEFAULT_LIFETIME));
        return new MemberEndpoint(new MemberServicesOnEngines(engines::current, ledger, keys, merge)::current, details, wechat,
                tokens, new PhoneSeal(dataKey.getBytes(StandardCharsets.UTF_8)), keys,
                new MemberCodes(tokenKey.getBytes(StandardCharsets.UTF_8)));
    }
}
