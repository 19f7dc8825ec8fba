package dev.siyu.functions.miniappapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.siyu.core.ingest.IngestEndpoint;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.Map;

/** HTTP API (payload 2.0) -> {@link IngestEndpoint} (the /miniapp routes come next). Nothing else lives here. */
public class MiniappApiFunction {
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json; charset=utf-8");

    private final IngestEndpoint ingest;

    @Inject
    public MiniappApiFunction(IngestEndpoint ingest) {
        this.ingest = ingest;
    }

    @Funq
    public APIGatewayV2HTTPResponse miniappApi(APIGatewayV2HTTPEvent event) {
        var http = event.getRequestContext() != null ? event.getRequestContext().getHttp() : null;
        String method = http != null && http.getMethod() != null ? http.getMethod() : "POST";
        String path = event.getRawPath() != null ? event.getRawPath() : http != null ? http.getPath() : "";
        IngestEndpoint.Reply reply = ingest.handle(new IngestEndpoint.Request(method, path, event.getHeaders(),
                event.getBody(), event.getIsBase64Encoded()));
        return APIGatewayV2HTTPResponse.builder().withStatusCode(reply.status()).withHeaders(JSON)
                .withBody(reply.body()).build();
    }
}
