package dev.siyu.store;

import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * A write whose answer is lost: DynamoDB applied the PutItem, the client sees a 500 and the SDK sends the
 * same request again, as it does after a dropped connection or a 5xx in front of the table.
 */
final class LoseAnswers implements ExecutionInterceptor {
    private final AtomicInteger toLose;
    private final AtomicInteger lost = new AtomicInteger();

    LoseAnswers(int puts) {
        this.toLose = new AtomicInteger(puts);
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (context.request() instanceof PutItemRequest && context.httpResponse().isSuccessful()
                && toLose.getAndDecrement() > 0) {
            lost.incrementAndGet();
            return context.httpResponse().toBuilder().statusCode(500).build();
        }
        return context.httpResponse();
    }

    /** Answers lost so far. */
    int lost() {
        return lost.get();
    }
}
