package dev.siyu.functions.wecomcallback;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.callback.CallbackProcessor;
import dev.siyu.core.callback.ChannelDirectory;
import dev.siyu.core.callback.Rerouter;
import dev.siyu.core.channel.StaffRouter;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.time.Ids;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoChannelStore;
import dev.siyu.store.DynamoCustomerStore;
import dev.siyu.store.DynamoStaffLoadStore;
import dev.siyu.store.DynamoTenantLog;
import dev.siyu.store.SqsJourneyQueue;
import dev.siyu.store.StoreSettings;
import dev.siyu.wecom.CallbackEndpoint;
import dev.siyu.wecom.CallbackVerifier;
import dev.siyu.wecom.WeComSettings;
import dev.siyu.wecom.WxJavaWeComApi;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The callback's object graph with plain constructors: the function's CDI wiring and the local
 * benchmark build exactly the same thing from here.
 */
public final class CallbackAssembly {
    /** A callback makes at most five WeCom or table calls at once; daemon threads never hold the JVM open. */
    private static final int PARALLEL_CALLS = 6;

    private CallbackAssembly() {
    }

    private static ExecutorService callbackIo() {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(PARALLEL_CALLS, r -> {
            Thread t = new Thread(r, "callback-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public static CallbackEndpoint endpoint(ScrmConfig config, DynamoDbClient dynamo, SqsClient sqs, StoreSettings store,
                                            WeComSettings wecomSettings, CapacityMeter meter, Clock clock) {
        String table = store.tableName();
        WxJavaWeComApi wecom = new WxJavaWeComApi(wecomSettings);
        CallbackProcessor processor = new CallbackProcessor(config,
                new DynamoCustomerStore(dynamo, table, meter),
                new DynamoTenantLog(dynamo, table, meter),
                new ChannelDirectory(config, new DynamoChannelStore(dynamo, table, meter)),
                new Rerouter(new DynamoStaffLoadStore(dynamo, table, meter), wecom, new StaffRouter()),
                new CorpTags(wecom, config.tagSystem()),
                wecom,
                new SqsJourneyQueue(sqs, store.queueUrl(), new ObjectMapper()),
                clock, new Ids(), callbackIo());
        return new CallbackEndpoint(new CallbackVerifier(wecomSettings), processor);
    }
}
