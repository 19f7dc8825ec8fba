package dev.siyu.models.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The part of S3's REST API the model store uses, over HTTP on 127.0.0.1 with path-style addressing: PutObject
 * (plain or aws-chunked bodies, as SDK v2 sends them with a trailing checksum), GetObject and S3's NoSuchKey and
 * AccessDenied errors, and S3's conditional writes (https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html):
 * a PutObject with If-None-Match: * is refused with 412 Precondition Failed when the key exists, one with If-Match:
 * &lt;etag&gt; with 412 when the object's ETag differs (here also when there is no object). ETags are the body's MD5,
 * as S3 gives a single-part upload. No in-process S3-compatible server resolved from the Maven Central reachable here
 * (io.github.robothy:local-s3-rest, com.adobe.testing:s3mock-junit5), so the real SDK client talks to this one.
 * {@link #refusePuts} makes the server refuse writes as a crash or a lost permission would stop them.
 */
final class S3ObjectServer implements AutoCloseable {
    private final HttpServer server;
    private final String bucket;
    private final Map<String, byte[]> objects = new ConcurrentHashMap<>();
    private final List<String> puts = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, String> etags = new ConcurrentHashMap<>();
    private volatile Predicate<String> refused = key -> false;
    private final Map<String, Runnable> beforePut = new ConcurrentHashMap<>();

    S3ObjectServer(String bucket) throws IOException {
        this.bucket = bucket;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    Set<String> keys() {
        return Set.copyOf(objects.keySet());
    }

    List<String> puts() {
        return List.copyOf(puts);
    }

    void refusePuts(Predicate<String> keys) {
        refused = keys;
    }

    /** Runs once just before the next PUT of key is judged: another writer's PUT that got in first. */
    void beforeNextPut(String key, Runnable other) {
        beforePut.put(key, other);
    }

    /** Another writer's object, written as its PutObject would be. */
    synchronized void write(String key, byte[] body) {
        objects.put(key, body);
        etags.put(key, md5(body));
        puts.add(key);
    }

    private static String md5(byte[] body) {
        try {
            return "\"" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(body)) + "\"";
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String prefix = "/" + bucket + "/";
            if (!path.startsWith(prefix)) {
                error(exchange, 404, "NoSuchBucket", "no bucket in " + path);
                return;
            }
            String key = path.substring(prefix.length());
            byte[] body = exchange.getRequestBody().readAllBytes();
            switch (exchange.getRequestMethod()) {
                case "PUT" -> {
                    if (refused.test(key)) {
                        error(exchange, 403, "AccessDenied", "Access Denied");
                        return;
                    }
                    Runnable other = beforePut.remove(key);
                    if (other != null) {
                        other.run();
                    }
                    String encoding = String.valueOf(exchange.getRequestHeaders().getFirst("Content-Encoding"));
                    String sha = String.valueOf(exchange.getRequestHeaders().getFirst("x-amz-content-sha256"));
                    byte[] content = encoding.contains("aws-chunked") || sha.startsWith("STREAMING-") ? unchunk(body) : body;
                    String ifMatch = exchange.getRequestHeaders().getFirst("If-Match");
                    String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
                    synchronized (this) {
                        String current = etags.get(key);
                        if (("*".equals(ifNoneMatch) && current != null) || (ifMatch != null && !ifMatch.equals(current))) {
                            error(exchange, 412, "PreconditionFailed",
                                    "At least one of the pre-conditions you specified did not hold");
                            return;
                        }
                        write(key, content);
                    }
                    exchange.getResponseHeaders().add("ETag", etags.get(key));
                    exchange.sendResponseHeaders(200, -1);
                }
                case "GET" -> {
                    byte[] object = objects.get(key);
                    if (object == null) {
                        error(exchange, 404, "NoSuchKey", "The specified key does not exist.");
                        return;
                    }
                    exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
                    exchange.getResponseHeaders().add("ETag", etags.get(key));
                    exchange.sendResponseHeaders(200, object.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(object);
                    }
                }
                default -> error(exchange, 405, "MethodNotAllowed", exchange.getRequestMethod());
            }
        }
    }

    /** aws-chunked: hex size[;extensions] CRLF data CRLF ... a 0-size chunk, then trailers. */
    static byte[] unchunk(byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = new java.io.ByteArrayInputStream(body);
        while (true) {
            String line = line(in);
            int size = Integer.parseInt(line.split(";", 2)[0].trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(in.readNBytes(size));
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        byte[] xml = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code + "</Code><Message>" + message
                + "</Message><RequestId>local</RequestId></Error>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/xml");
        exchange.sendResponseHeaders(status, xml.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(xml);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
