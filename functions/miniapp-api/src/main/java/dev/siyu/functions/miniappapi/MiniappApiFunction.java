package dev.siyu.functions.miniappapi;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.siyu.core.ingest.IngestEndpoint;
import dev.siyu.core.miniapp.MemberEndpoint;
import dev.siyu.core.miniapp.StaffEndpoint;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import java.util.Map;

/**
 * HTTP API (payload 2.0): /miniapp/staff/* -> {@link StaffEndpoint}, other /miniapp/* -> {@link MemberEndpoint},
 * everything else -> {@link IngestEndpoint}.
 */
public class MiniappApiFunction {
    private static final Map<String, String> JSON = Map.of("Content-Type", "application/json; charset=utf-8");

    private final IngestEndpoint ingest;
    private final MemberEndpoint members;
    private final StaffEndpoint staff;

    @Inject
    public MiniappApiFunction(IngestEndpoint ingest, MemberEndpoint members, StaffEndpoint staff) {
        this.ingest = ingest;
        this.members = members;
        this.staff = staff;
    }

    @Funq
    public APIGatewayV2HTTPResponse miniappApi(APIGatewayV2HTTPEvent event) {
        var http = event.getRequestContext() != null ? event.getRequestContext().getHttp() : null;
        String method = http != null && http.getMethod() != null ? http.getMethod() : "POST";
        String path = event.getRawPath() != null ? event.getRawPath() : http != null ? http.getPath() : "";
        int status;
        String body;
        if (path.startsWith(MemberEndpoint.PREFIX)) {
            dev.siyu.core.http.HttpRequest request = new dev.siyu.core.http.HttpRequest(method, path, event.getQueryStringParameters(),
                    event.getHeaders(), event.getBody(), event.getIsBase64Encoded());
            MemberEndpoint.Reply reply = path.startsWith(StaffEndpoint.PREFIX) ? staff.handle(request)
                    : members.handle(request);
            status = reply.status();
            body = reply.body();
        } else {
            IngestEndpoint.Reply reply = ingest.handle(new dev.siyu.core.http.HttpRequest(method, path, event.getHeaders(),
                    event.getBody(), event.getIsBase64Encoded()));
            status = reply.status();
            body = reply.body();
        }
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(JSON).withBody(body).build();
    }
}
