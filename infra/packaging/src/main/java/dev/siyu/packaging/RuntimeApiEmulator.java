package dev.siyu.packaging;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.siyu.stack.LoopbackHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AWS Lambda Runtime API (2018-06-01) on a loopback port, as far as the Java runtime interface
 * client uses it: a function process started with {@code AWS_LAMBDA_RUNTIME_API=127.0.0.1:port}
 * polls {@code invocation/next} here and posts its answer back.
 *
 * <p>The emulator plays one Lambda execution environment: queued invocations are handed out in
 * order, each to the next poll, and a runtime only polls again after answering, so a single
 * runtime process serves them one at a time. Invocations may be queued before the process starts;
 * that is how a cold start is measured (the first poll finds the event waiting).
 *
 * <p>Thread-safe. {@link #close()} fails every invocation not answered yet.
 */
public final class RuntimeApiEmulator implements AutoCloseable {

    /** An answered invocation: the function's response, or its error document when {@code error}. */
    public record Invocation(String requestId, byte[] payload, boolean error, Duration latency) {
        public Invocation {
            Objects.requireNonNull(requestId, "requestId");
            payload = payload.clone();
            Objects.requireNonNull(latency, "latency");
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        public String payloadUtf8() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The {@code statusCode} of an HTTP function's answer (API Gateway proxy shape), or -1. */
        public int statusCode() {
            Matcher m = STATUS_CODE.matcher(payloadUtf8());
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
    }

    private static final Pattern STATUS_CODE = Pattern.compile("\"statusCode\"\\s*:\\s*(\\d{3})");

    /** What the runtime posted to {@code init/error} (or {@code restore/error}) before exiting. */
    public record InitError(String errorType, byte[] body) {
        public InitError {
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        public String bodyUtf8() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** Fails the invocations that can no longer be served because the runtime failed to start. */
    public static final class InitFailedException extends RuntimeException {
        private final InitError initError;

        InitFailedException(InitError initError) {
            super("the runtime reported an init error " + initError.errorType() + ": " + initError.bodyUtf8());
            this.initError = initError;
        }

        public InitError initError() {
            return initError;
        }
    }

    /** Lambda's synchronous response limit; a larger answer fails the invocation, as there. */
    static final int MAX_RESPONSE_BYTES = 6_291_556;
    static final String DEFAULT_FUNCTION_ARN = "arn:aws:lambda:us-east-1:000000000000:function:local";

    private static final String BASE = "/2018-06-01/runtime/";
    private static final String INVOCATION = BASE + "invocation/";
    /** How often a blocked {@code next} poll re-checks whether the emulator was closed. */
    private static final long POLL_SLICE_MS = 200;

    private record Pending(String requestId, byte[] event, long deadlineEpochMs, String traceId,
                           long queuedNanos, CompletableFuture<Invocation> answer) {
    }

    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledThreadPoolExecutor timeouts;
    private final String functionArn;
    private final BlockingDeque<Pending> queue = new LinkedBlockingDeque<>();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
    private final CompletableFuture<InitError> initError = new CompletableFuture<>();
    private final CompletableFuture<Long> runtimeReady = new CompletableFuture<>();
    private volatile boolean closed;

    private RuntimeApiEmulator(HttpServer server, ExecutorService workers, String functionArn) {
        this.server = server;
        this.workers = workers;
        this.functionArn = functionArn;
        this.timeouts = new ScheduledThreadPoolExecutor(1, daemonThreads("runtime-api-timeouts-"));
        // An answered invocation must not stay reachable (with its payload) until its deadline.
        this.timeouts.setRemoveOnCancelPolicy(true);
    }

    /** Starts on 127.0.0.1:{@code port}; 0 picks a free port (see {@link #port()}). */
    public static RuntimeApiEmulator start(int port) throws IOException {
        return start(port, DEFAULT_FUNCTION_ARN);
    }

    public static RuntimeApiEmulator start(int port, String functionArn) throws IOException {
        HttpServer server = LoopbackHttpServer.create(port, 0);
        // A blocked "next" poll holds its thread, so a fixed pool could starve the answer posts.
        ExecutorService workers = Executors.newCachedThreadPool(daemonThreads("runtime-api-emulator-"));
        RuntimeApiEmulator emulator = new RuntimeApiEmulator(server, workers, functionArn);
        server.createContext(BASE, emulator::handle);
        server.setExecutor(workers);
        server.start();
        return emulator;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The value for the function's {@code AWS_LAMBDA_RUNTIME_API} variable. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    /**
     * Queues one event. The future completes with the function's answer (also when the function
     * reported an error), or fails with a {@link TimeoutException} after {@code timeout}, with
     * {@link InitFailedException} when the runtime reports an init error, or when the emulator is
     * closed. Cancelling it withdraws the event if no runtime has taken it yet.
     */
    public CompletableFuture<Invocation> invoke(byte[] eventJson, Duration timeout) {
        Objects.requireNonNull(eventJson, "eventJson");
        String requestId = UUID.randomUUID().toString();
        CompletableFuture<Invocation> answer = new CompletableFuture<>();
        Pending pending = new Pending(requestId, eventJson.clone(),
                System.currentTimeMillis() + timeout.toMillis(), traceId(), System.nanoTime(), answer);
        ScheduledFuture<?> expiry;
        try {
            expiry = timeouts.schedule(() -> answer.completeExceptionally(
                    new TimeoutException("invocation " + requestId + " not answered within " + timeout)),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            answer.completeExceptionally(new IllegalStateException("runtime API emulator closed"));
            return answer;
        }
        answer.whenComplete((result, failure) -> {
            queue.remove(pending);
            inFlight.remove(requestId);
            expiry.cancel(false);
        });
        queue.add(pending);
        // close() or an init error may have drained the queue just before this event went in.
        if (closed) {
            answer.completeExceptionally(new IllegalStateException("runtime API emulator closed"));
        } else if (initError.isDone()) {
            answer.completeExceptionally(new InitFailedException(initError.join()));
        }
        return answer;
    }

    /** Completes with the first init (or restore) error a runtime reports; never fails. */
    public CompletableFuture<InitError> initError() {
        return initError.thenApply(e -> e);
    }

    /**
     * Completes with {@link System#nanoTime()} at the first {@code next} poll: the end of the
     * function's init phase, what Lambda reports as Init Duration when measured from the launch.
     */
    public CompletableFuture<Long> runtimeReady() {
        return runtimeReady.thenApply(t -> t);
    }

    /** Invocations queued and not yet taken by a runtime. */
    public int queued() {
        return queue.size();
    }

    /** Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        workers.shutdownNow();
        timeouts.shutdownNow();
        IllegalStateException closedError = new IllegalStateException("runtime API emulator closed");
        for (Pending p : drain()) {
            p.answer().completeExceptionally(closedError);
        }
    }

    private List<Pending> drain() {
        List<Pending> all = new ArrayList<>();
        queue.drainTo(all);
        all.addAll(inFlight.values());
        inFlight.clear();
        return all;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals(INVOCATION + "next")) {
                requireMethod(exchange, "GET");
                next(exchange);
            } else if (path.startsWith(INVOCATION) && path.endsWith("/response")) {
                requireMethod(exchange, "POST");
                response(exchange, path.substring(INVOCATION.length(), path.length() - "/response".length()));
            } else if (path.startsWith(INVOCATION) && path.endsWith("/error")) {
                requireMethod(exchange, "POST");
                invocationError(exchange, path.substring(INVOCATION.length(), path.length() - "/error".length()));
            } else if (path.equals(BASE + "init/error") || path.equals(BASE + "restore/error")) {
                requireMethod(exchange, "POST");
                initErrorPosted(exchange);
            } else if (path.equals(BASE + "restore/next")) {
                // SnapStart's checkpoint hook: nothing to restore here, carry on at once.
                requireMethod(exchange, "GET");
                send(exchange, 200, new byte[0]);
            } else {
                sendError(exchange, 404, "NotFound", "no such runtime API resource: " + method + " " + path);
            }
        } catch (WrongMethod e) {
            sendError(exchange, 405, "MethodNotAllowed", e.getMessage());
        } finally {
            exchange.close();
        }
    }

    private void next(HttpExchange exchange) throws IOException {
        runtimeReady.complete(System.nanoTime());
        Pending pending = take();
        if (pending == null) {
            sendError(exchange, 503, "ServiceUnavailable", "runtime API emulator closed");
            return;
        }
        inFlight.put(pending.requestId(), pending);
        exchange.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", pending.requestId());
        exchange.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(pending.deadlineEpochMs()));
        exchange.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", functionArn);
        exchange.getResponseHeaders().add("Lambda-Runtime-Trace-Id", pending.traceId());
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        try {
            send(exchange, 200, pending.event());
        } catch (IOException e) {
            // The poller went away (its process died): give the event to the next runtime.
            if (inFlight.remove(pending.requestId()) != null && !pending.answer().isDone()) {
                queue.offerFirst(pending);
            }
            throw e;
        }
    }

    /** Blocks until an event is queued; null once the emulator is closed. */
    private Pending take() {
        try {
            while (!closed) {
                Pending p = queue.pollFirst(POLL_SLICE_MS, TimeUnit.MILLISECONDS);
                if (p != null && !p.answer().isDone()) {
                    return p;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private void response(HttpExchange exchange, String requestId) throws IOException {
        long arrived = System.nanoTime();
        byte[] body = readBody(exchange);
        Pending pending = inFlight.remove(requestId);
        if (pending == null) {
            sendError(exchange, 400, "InvalidRequestID", "unknown or already answered request id " + requestId);
            return;
        }
        if (body.length > MAX_RESPONSE_BYTES) {
            sendError(exchange, 413, "RequestEntityTooLarge", "response exceeds " + MAX_RESPONSE_BYTES + " bytes");
            pending.answer().complete(new Invocation(requestId, errorJson("Function.ResponseSizeTooLarge",
                    "Response payload size (" + body.length + " bytes) exceeded maximum allowed payload size ("
                            + MAX_RESPONSE_BYTES + " bytes)."), true, since(pending, arrived)));
            return;
        }
        send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
        // Completed after the reply so the runtime never waits on the caller's callbacks.
        pending.answer().complete(new Invocation(requestId, body, false, since(pending, arrived)));
    }

    private void invocationError(HttpExchange exchange, String requestId) throws IOException {
        long arrived = System.nanoTime();
        byte[] body = readBody(exchange);
        Pending pending = inFlight.remove(requestId);
        if (pending == null) {
            sendError(exchange, 400, "InvalidRequestID", "unknown or already answered request id " + requestId);
            return;
        }
        send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
        pending.answer().complete(new Invocation(requestId, body, true, since(pending, arrived)));
    }

    private void initErrorPosted(HttpExchange exchange) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
        InitError error = new InitError(type == null ? "Runtime.Unknown" : type, readBody(exchange));
        send(exchange, 202, "{\"status\":\"OK\"}".getBytes(StandardCharsets.UTF_8));
        initError.complete(error);
        InitFailedException failure = new InitFailedException(initError.join());
        for (Pending p : drain()) {
            p.answer().completeExceptionally(failure);
        }
    }

    private static Duration since(Pending pending, long nanos) {
        return Duration.ofNanos(nanos - pending.queuedNanos());
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static void sendError(HttpExchange exchange, int status, String type, String message)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, status, errorJson(type, message));
    }

    static byte[] errorJson(String type, String message) {
        return ("{\"errorMessage\":\"" + jsonEscape(message) + "\",\"errorType\":\"" + jsonEscape(type) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static void requireMethod(HttpExchange exchange, String method) {
        if (!exchange.getRequestMethod().equalsIgnoreCase(method)) {
            throw new WrongMethod(exchange.getRequestMethod() + " not allowed on " + exchange.getRequestURI().getPath());
        }
    }

    private static final class WrongMethod extends RuntimeException {
        WrongMethod(String message) {
            super(message);
        }
    }

    /** An X-Ray trace header of the shape Lambda sends, so tracing code finds what it expects. */
    private static String traceId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("Root=1-%08x-%08x%016x;Parent=%016x;Sampled=0",
                System.currentTimeMillis() / 1000, r.nextInt(), r.nextLong(), r.nextLong());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return task -> {
            Thread t = new Thread(task, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
