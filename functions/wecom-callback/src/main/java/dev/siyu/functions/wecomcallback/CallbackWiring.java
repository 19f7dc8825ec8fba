package dev.siyu.functions.wecomcallback;

import dev.siyu.function.FunctionProducers;
import dev.siyu.function.TenantEngines;
import dev.siyu.wecom.CallbackEndpoint;
import dev.siyu.wecom.CallbackVerifier;
import dev.siyu.wecom.WeComSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The callback's entry point from the shared engine (shared/function builds the rest). */
public class CallbackWiring {
    /**
     * Each event is processed on the engine of the tenant's current config (read on the first event,
     * re-read when it changes). {@code siyu.wecom.callback-max-age} widens the signed timestamp's
     * freshness window (default {@link CallbackVerifier#FRESHNESS}), e.g. for replaying recorded samples.
     */
    @Produces
    @Singleton
    CallbackEndpoint callbackEndpoint(TenantEngines engines, WeComSettings wecom, Clock clock,
                                      @ConfigProperty(name = "siyu.wecom.callback-max-age") Optional<Duration> maxAge) {
        if (FunctionProducers.NO_CALLBACK_TOKEN.equals(wecom.token()) || FunctionProducers.lacksCallbackKey(wecom)) {
            // Without them every callback would be refused as unsigned: fail the init, loudly, instead.
            throw new IllegalStateException("the WeCom callback needs SIYU_WECOM_TOKEN and SIYU_WECOM_AES_KEY "
                    + "(the callback URL's Token and EncodingAESKey)");
        }
        return new CallbackEndpoint(new CallbackVerifier(wecom, clock, maxAge.orElse(CallbackVerifier.FRESHNESS)),
                () -> engines.current().callbacks());
    }
}
