package dev.siyu.functions.staffsidebar;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.siyu.sidebar.SidebarEndpoint;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** HTTP API (payload 2.0) -> {@link SidebarEndpoint}. Nothing else lives here. */
public class StaffSidebarFunction {
    private final SidebarEndpoint endpoint;

    @Inject
    public StaffSidebarFunction(SidebarEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Funq
    public APIGatewayV2HTTPResponse staffSidebar(APIGatewayV2HTTPEvent event) {
        APIGatewayV2HTTPEvent.RequestContext ctx = event.getRequestContext();
        String method = ctx != null && ctx.getHttp() != null ? ctx.getHttp().getMethod() : "GET";
        String path = event.getRawPath() != null ? event.getRawPath()
                : ctx != null && ctx.getHttp() != null ? ctx.getHttp().getPath() : "";
        SidebarEndpoint.Reply reply = endpoint.handle(new SidebarEndpoint.Request(method, path,
                event.getQueryStringParameters(), event.getHeaders(), event.getBody(), event.getIsBase64Encoded()));
        boolean text = reply.contentType().startsWith("text/") || reply.contentType().startsWith("application/json");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(reply.status()).withHeaders(reply.allHeaders())
                .withBody(text ? new String(reply.body(), StandardCharsets.UTF_8)
                        : Base64.getEncoder().encodeToString(reply.body()))
                .withIsBase64Encoded(!text).build();
    }
}
