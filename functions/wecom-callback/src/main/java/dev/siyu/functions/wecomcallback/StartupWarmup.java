package dev.siyu.functions.wecomcallback;

import dev.siyu.core.event.WeComEvent;
import dev.siyu.wecom.CallbackEncryptor;
import dev.siyu.wecom.CallbackEndpoint;
import dev.siyu.wecom.CallbackVerifier;
import dev.siyu.wecom.CallbackXml;
import dev.siyu.wecom.EncryptedCallback;
import dev.siyu.wecom.WeComSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;

/**
 * Builds the callback's object graph during init instead of on the first callback, and runs one
 * self-encrypted message through verification. Lambda gives init a full CPU, SnapStart snapshots
 * what init built (config read from the table, SDK and WeCom clients, crypto), and the AOT cache
 * is trained on it; the first customer then waits only for their own round trips.
 */
@ApplicationScoped
public class StartupWarmup {

    void onStart(@Observes StartupEvent event, CallbackEndpoint endpoint, WeComSettings settings) {
        EncryptedCallback probe = new CallbackEncryptor(settings).encrypt(CallbackXml.of(settings.corpId(),
                new WeComEvent.Unhandled("siyu_warmup", "init", "sys", Instant.EPOCH)), "0", "0");
        new CallbackVerifier(settings).verify(probe.query(), probe.body());
    }
}
