package dev.siyu.functions.wecomcallback;

import dev.siyu.core.engine.Engine;
import dev.siyu.function.FunctionProducers;
import dev.siyu.wecom.CallbackEndpoint;
import dev.siyu.wecom.CallbackVerifier;
import dev.siyu.wecom.WeComSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The callback's entry point from the shared engine (shared/function builds the rest). */
public class CallbackWiring {
    @Produces
    @Singleton
    CallbackEndpoint callbackEndpoint(Engine engine, WeComSettings wecom, java.time.Clock clock) {
        if (FunctionProducers.NO_CALLBACK_TOKEN.equals(wecom.token()) || FunctionProducers.lacksCallbackKey(wecom)) {
            // Without them every callback would be refused as unsigned: fail the init, loudly, instead.
            throw new IllegalStateException("the WeCom callback needs SIYU_WECOM_TOKEN and SIYU_WECOM_AES_KEY "
                    + "(the callback URL's Token and EncodingAESKey)");
        }
        return new CallbackEndpoint(new CallbackVerifier(wecom, clock), engine.callbacks());
    }
}
