package dev.siyu.functions.wecomcallback;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.siyu.wecom.CallbackEndpoint;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.Map;

/** HTTP API (payload 2.0) -> {@link CallbackEndpoint}. Nothing else lives here. */
public class WeComCallbackFunction {
    private static final Map<String, String> TEXT = Map.of("Content-Type", "text/plain; charset=utf-8");

    private final CallbackEndpoint endpoint;

    @Inject
    public WeComCallbackFunction(CallbackEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Funq
    public APIGatewayV2HTTPResponse wecomCallback(APIGatewayV2HTTPEvent event) {
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : "POST";
        CallbackEndpoint.Reply reply = endpoint.handle(new CallbackEndpoint.Request(method,
                event.getQueryStringParameters(), event.getBody(), event.getIsBase64Encoded()));
        return APIGatewayV2HTTPResponse.builder().withStatusCode(reply.status()).withHeaders(TEXT)
                .withBody(reply.body()).build();
    }
}
