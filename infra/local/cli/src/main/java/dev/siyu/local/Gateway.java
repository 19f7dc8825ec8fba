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
 * The HTTP APIs in front of the functions, as template.yaml declares them: {@code GET|POST /wecom/callback}
 * to the callback function; the staff sidebar's {@code GET /sidebar}, {@code GET /sidebar/{proxy+}} and
 * {@code POST /sidebar/api/{proxy+}} to the sidebar function; {@code POST /ingest/orders},
 * {@code POST /ingest/events} and {@code ANY /miniapp/{proxy+}} to the Mini Program API function; the admin API's
 * {@code POST /admin/customers/{customerId}/score} and {@code POST /admin/scoring/train} to the scoring function
 * (in AWS behind the IAM authorizer; locally on the loopback gateway, unsigned). A request
 * becomes a payload 2.0 event with its route key, invoked through that function's Runtime API emulator, and the
 * function's APIGatewayV2HTTPResponse becomes the HTTP reply. Errors answer as API Gateway does (404 for no
 * route, 502 for a failed invocation, 504 past the integration timeout).
 */
final class Gateway implements AutoCloseable {
    static final String ROUTE = SignedCallbacks.ROUTE;
    /** API Gateway's HTTP API integration limit. */
    private static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_BODY = 10 * 1024 * 1024;

    static final String SIDEBAR = "/sidebar";
    /** The ingestion routes (template.yaml, MiniappApiFunction), POST only. */
    static final List<String> INGEST_ROUTES = List.of("/ingest/orders", "/ingest/events");
    static final String MINIAPP_ROUTE = "/miniapp/{proxy+}";
    /** The admin API's routes (template.yaml, AdminApi), POST only. */
    static final List<String> ADMIN_ROUTES = List.of("/admin/customers/{customerId}/score", "/admin/scoring/train");

    /**
     * One route as template.yaml writes it: a method (or ANY) and a path, which ends in {@code {proxy+}} to take
     * every path below it, or holds {@code {name}} segments that take one path segment each; and the function
     * behind it.
     */
    record Route(String method, String path, RuntimeApiEmulator function) {
        private static final String PROXY = "{proxy+}";

        boolean matches(String m, String p) {
            if (!method.equals("ANY") && !method.equals(m)) {
                return false;
            }
            if (path.endsWith(PROXY)) {
                return p.startsWith(path.substring(0, path.length() - PROXY.length()))
                        && p.length() > path.length() - PROXY.length();
            }
            return parameters(p) != null;
        }

        /** The path parameters of a request this route takes (name -> decoded segment), null when it does not take it. */
        Map<String, String> parameters(String p) {
            String[] want = path.split("/", -1);
            String[] got = p.split("/", -1);
            if (want.length != got.length) {
                return null;
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < want.length; i++) {
                if (want[i].startsWith("{") && want[i].endsWith("}") && !want[i].endsWith("+}")) {
                    if (got[i].isEmpty()) {
                        return null;
                    }
                    params.put(want[i].substring(1, want[i].length() - 1),
                            URLDecoder.decode(got[i].replace("+", "%2B"), StandardCharsets.UTF_8));
                } else if (!want[i].equals(got[i])) {
                    return null;
                }
            }
            return params;
        }

        String key() {
            return method + " " + path;
        }
    }

    /** The functions behind the gateway; any but the callback may be null (not started: its routes answer 404). */
    record Functions(RuntimeApiEmulator callback, RuntimeApiEmulator sidebar, RuntimeApiEmulator miniappApi,
                     RuntimeApiEmulator scoring) {
        Functions(RuntimeApiEmulator callback, RuntimeApiEmulator sidebar, RuntimeApiEmulator miniappApi) {
            this(callback, sidebar, miniappApi, null);
        }

        List<Route> routes() {
            List<Route> r = new java.util.ArrayList<>();
            r.add(new Route("GET", ROUTE, callback));
            r.add(new Route("POST", ROUTE, callback));
            if (sidebar != null) {
                r.add(new Route("GET", SIDEBAR, sidebar));
                r.add(new Route("POST", SIDEBAR + "/api/{proxy+}", sidebar));
                r.add(new Route("GET", SIDEBAR + "/{proxy+}", sidebar));
            }
            if (miniappApi != null) {
                INGEST_ROUTES.forEach(p -> r.add(new Route("POST", p, miniappApi)));
                r.add(new Route("ANY", MINIAPP_ROUTE, miniappApi));
            }
            if (scoring != null) {
                ADMIN_ROUTES.forEach(p -> r.add(new Route("POST", p, scoring)));
            }
            return r;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Route> routes;
    private final ObjectMapper json = new ObjectMapper();

    private Gateway(HttpServer server, ExecutorService executor, List<Route> routes) {
        this.server = server;
        this.executor = executor;
        this.routes = List.copyOf(routes);
    }

    /** The callback route alone. */
    static Gateway start(int port, RuntimeApiEmulator function) throws IOException {
        return start(port, new Functions(function, null, null));
    }

    static Gateway start(int port, Functions functions) throws IOException {
        List<Route> routes = functions.routes();
        HttpServer server;
        try {
            server = LoopbackHttpServer.create(port, 64);
        } catch (java.net.BindException e) {
            throw new IOException("the gateway cannot listen on 127.0.0.1:" + port
                    + ": the port is in use (another ./siyu local?); choose one with --port", e);
        }
        // A few threads: the one runtime answers in order anyway, the rest only wait on it.
        ExecutorService executor = DaemonPools.fixed("siyu-gateway", 8);
        Gateway g = new Gateway(server, executor, routes);
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
            Route route = route(routes, method, path);
            if (route == null) {
                reply(exchange, 404, Map.of("Content-Type", "application/json"), "{\"message\":\"Not Found\"}");
                return;
            }
            byte[] body = readBody(exchange.getRequestBody());
            if (body == null) {
                reply(exchange, 413, Map.of("Content-Type", "application/json"), "{\"message\":\"Request Entity Too Large\"}");
                return;
            }
            ObjectNode request = event(route.key(), method, path, exchange.getRequestURI().getRawQuery(),
                    exchange.getRequestHeaders(), body);
            Map<String, String> parameters = route.path().endsWith(Route.PROXY) ? null : route.parameters(path);
            if (parameters != null && !parameters.isEmpty()) {
                request.set("pathParameters", json.valueToTree(parameters));
            }
            byte[] event = json.writeValueAsBytes(request);
            RuntimeApiEmulator.Invocation answer;
            try {
                answer = route.function().invoke(event, INTEGRATION_TIMEOUT).get();
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

    /** The first route that takes the request, in the order API Gateway would prefer them; null for none. */
    static Route route(List<Route> routes, String method, String path) {
        return routes.stream().filter(r -> r.matches(method, path)).findFirst().orElse(null);
    }

    /** An HTTP API payload 2.0 event of the callback's route. */
    ObjectNode event(String method, String path, String rawQuery, Map<String, List<String>> headers, byte[] body) {
        return event(method + " " + ROUTE, method, path, rawQuery, headers, body);
    }

    /** An HTTP API payload 2.0 event; query and header values joined with commas as API Gateway does. */
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
