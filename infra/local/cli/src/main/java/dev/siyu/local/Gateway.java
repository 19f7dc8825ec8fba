package dev.siyu.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.siyu.core.engine.DaemonPools;
import dev.siyu.embedded.SignedCallbacks;
import dev.siyu.packaging.RuntimeApiEmulator;
import dev.siyu.stack.LoopbackHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP APIs in front of the functions, as template.yaml declares them: {@code GET|POST
 * /wecom/callback} to the callback function, and (when the miniapp-api function runs) {@code ANY
 * /miniapp/{proxy+}} and {@code POST /ingest/orders|events} to it. A request becomes a payload 2.0 event,
 * invoked through the function's Runtime API emulator, and the function's APIGatewayV2HTTPResponse becomes
 * the HTTP reply. Errors answer as API Gateway does (502 for a failed invocation, 504 past the integration
 * timeout).
 */
final class Gateway implements AutoCloseable {
    static final String ROUTE = SignedCallbacks.ROUTE;
    /** API Gateway's HTTP API integration limit. */
    private static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_BODY = 10 * 1024 * 1024;

    static final String MINIAPP_ROUTE = "/miniapp/{proxy+}";
    private static final List<String> INGEST_PATHS = List.of("/ingest/orders", "/ingest/events");

    private final HttpServer server;
    private final ExecutorService executor;
    private final RuntimeApiEmulator function;
    private final RuntimeApiEmulator miniappApi;
    private final ObjectMapper json = new ObjectMapper();

    private Gateway(HttpServer server, ExecutorService executor, RuntimeApiEmulator function,
                    RuntimeApiEmulator miniappApi) {
        this.server = server;
        this.executor = executor;
        this.function = function;
        this.miniappApi = miniappApi;
    }

    static Gateway start(int port, RuntimeApiEmulator function) throws IOException {
        return start(port, function, null);
    }

    /** @param miniappApi the miniapp-api function's emulator; null: its routes answer 404 */
    static Gateway start(int port, RuntimeApiEmulator function, RuntimeApiEmulator miniappApi) throws IOException {
        HttpServer server;
        try {
            server = LoopbackHttpServer.create(port, 64);
        } catch (java.net.BindException e) {
            throw new IOException("the gateway cannot listen on 127.0.0.1:" + port
                    + ": the port is in use (another ./siyu local?); choose one with --port", e);
        }
        // A few threads: the one runtime answers in order anyway, the rest only wait on it.
        ExecutorService executor = DaemonPools.fixed("siyu-gateway", 8);
        Gateway g = new Gateway(server, executor, function, miniappApi);
        server.createContext("/", g::handle);
        server.setExecutor(executor);
        server.start();
        return g;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getRawPath();
            RuntimeApiEmulator target;
            String routeKey;
            if (ROUTE.equals(path) && ("GET".equals(method) || "POST".equals(method))) {
                target = function;
                routeKey = method + " " + ROUTE;
            } else if (miniappApi != null && path.startsWith("/miniapp/")) {
                target = miniappApi;
                routeKey = "ANY " + MINIAPP_ROUTE;
            } else if (miniappApi != null && INGEST_PATHS.contains(path) && "POST".equals(method)) {
                target = miniappApi;
                routeKey = method + " " + path;
            } else {
                reply(exchange, 404, Map.of("Content-Type", "application/json"), "{\"message\":\"Not Found\"}");
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                reply(exchange, 413, Map.of("Content-Type", "application/json"), "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            byte[] event = json.writeValueAsBytes(event(routeKey, method, path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body));
            RuntimeApiEmulator.Invocation answer;
            try {
                answer = target.invoke(event, INTEGRATION_TIMEOUT).get();
            } catch (ExecutionException e) {
                boolean timedOut = e.getCause() instanceof TimeoutException;
                reply(exchange, timedOut ? 504 : 502, Map.of("Content-Type", "application/json"),
                        timedOut ? "{\"message\":\"Service Unavailable\"}" : "{\"message\":\"Internal Server Error\"}");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply(exchange, 503, Map.of(), "");
                return;
            }
            if (answer.error()) {
                reply(exchange, 502, Map.of("Content-Type", "application/json"), "{\"message\":\"Internal Server Error\"}");
                return;
            }
            writeResponse(exchange, json.readTree(answer.payload()));
        }
    }

    /** An HTTP API payload 2.0 event; query and header values joined with commas as API Gateway does. */
    ObjectNode event(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        return event(method + " " + ROUTE, method, path, rawQuery, headers, body);
    }

    ObjectNode event(String routeKey, String method, String path, String rawQuery, Map<String, List<String>> headers,
                     byte[] body) {
        ObjectNode e = json.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", routeKey);
        e.put("rawPath", path);
        e.put("rawQueryString", rawQuery == null ? "" : rawQuery);
        Map<String, String> query = query(rawQuery);
        if (!query.isEmpty()) {
            e.set("queryStringParameters", json.valueToTree(query));
        }
        Map<String, String> h = new LinkedHashMap<>();
        headers.forEach((name, values) -> h.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
        e.set("headers", json.valueToTree(h));
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("accountId", "000000000000");
        ctx.put("apiId", "local");
        ctx.put("domainName", "127.0.0.1");
        ctx.put("requestId", UUID.randomUUID().toString());
        ctx.put("routeKey", routeKey);
        ctx.put("stage", "$default");
        ctx.put("timeEpoch", Instant.now().toEpochMilli());
        ctx.putObject("http").put("method", method).put("path", path).put("protocol", "HTTP/1.1")
                .put("sourceIp", "127.0.0.1").put("userAgent", h.getOrDefault("user-agent", ""));
        if (body.length > 0) {
            e.put("body", new String(body, StandardCharsets.UTF_8));
        }
        e.put("isBase64Encoded", false);
        return e;
    }

    static Map<String, String> query(String rawQuery) {
        Map<String, String> q = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return q;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            q.merge(k, v, (a, b) -> a + "," + b);
        }
        return q;
    }

    private void writeResponse(HttpExchange exchange, JsonNode response) throws IOException {
        int status = response.path("statusCode").asInt(200);
        Map<String, String> headers = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = response.path("headers").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> h = it.next();
            headers.put(h.getKey(), h.getValue().asText());
        }
        JsonNode body = response.path("body");
        byte[] bytes = body.isMissingNode() || body.isNull() ? new byte[0]
                : response.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body.asText())
                : body.asText().getBytes(StandardCharsets.UTF_8);
        reply(exchange, status, headers, bytes);
    }

    private static void reply(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        reply(exchange, status, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, int status, Map<String, String> headers, byte[] body) throws IOException {
        headers.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** The body, or null when it is over the limit. */
    private static byte[] readBody(InputStream in) throws IOException {
        byte[] bytes = in.readNBytes(MAX_BODY + 1);
        return bytes.length > MAX_BODY ? null : bytes;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
