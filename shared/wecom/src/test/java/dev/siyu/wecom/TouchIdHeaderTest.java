package dev.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The touch id travels with the call as {@value WeComApi#TOUCH_ID_HEADER} (WeCom ignores it): seen here by a bare
 * HTTP server standing in for WeCom, so the test reads the request headers themselves.
 */
class TouchIdHeaderTest {
    private HttpServer server;
    private final Map<String, String> touchIds = new ConcurrentHashMap<>();
    private WxJavaWeComApi api;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/cgi-bin/", this::answer);
        server.start();
        api = new WxJavaWeComApi(LocalEnv.settings()
                .withApiBaseUrl("http://127.0.0.1:" + server.getAddress().getPort()));
    }

    @AfterEach
    void stop() {
        api.close();
        server.stop(0);
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath().substring("/cgi-bin/".length());
        String id = exchange.getRequestHeaders().getFirst(WeComApi.TOUCH_ID_HEADER);
        touchIds.put(path, id == null ? "(none)" : id);
        String body = path.equals("gettoken")
                ? "{\"errcode\":0,\"errmsg\":\"ok\",\"access_token\":\"T\",\"expires_in\":7200}"
                : "{\"errcode\":0,\"errmsg\":\"ok\",\"msgid\":\"msg1\",\"fail_list\":[]}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Test
    void aCallThroughATouchingViewCarriesItsTouchIdAndOthersNone() {
        api.touching("new_customer_activation#contact_added-1#0")
                .addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), "hi", null));

        assertThat(touchIds).containsEntry("externalcontact/add_msg_template", "new_customer_activation#contact_added-1#0");

        touchIds.clear();
        api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), "hi", null));
        assertThat(touchIds).containsEntry("externalcontact/add_msg_template", "(none)");
    }
}
