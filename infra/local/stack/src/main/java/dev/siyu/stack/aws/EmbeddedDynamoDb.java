package dev.siyu.stack.aws;

import java.net.URI;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import software.amazon.dynamodb.services.local.main.ServerRunner;
import software.amazon.dynamodb.services.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local 3.x in this JVM, in memory: nothing survives {@link #close()}. Used by tests and
 * by {@code ./siyu local}; the SDK reaches it over HTTP like the real service, so the same store
 * code runs against both.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {
    /** Another process can take a port between our probe and Jetty's bind; a few tries cover that race. */
    private static final int ATTEMPTS_FOR_FREE_PORT = 5;

    private final DynamoDBProxyServer server;
    private final int port;

    private EmbeddedDynamoDb(DynamoDBProxyServer server, int port) {
        this.server = server;
        this.port = port;
    }

    /** Starts on port, or on a free loopback port when port is 0. */
    public static EmbeddedDynamoDb start(int port) {
        // Its own log4j2.xml says WARN, but another log4j2.xml earlier on an application's classpath
        // would win and let every request be logged; the level is set here so that cannot happen.
        Configurator.setLevel("software.amazon.dynamodb", Level.WARN);
        Configurator.setLevel("com.amazonaws.services.dynamodbv2", Level.WARN);
        int attempts = port == 0 ? ATTEMPTS_FOR_FREE_PORT : 1;
        Exception last = null;
        for (int i = 0; i < attempts; i++) {
            // DynamoDB Local does not expose the port Jetty bound, so "0" is resolved here.
            int chosen = port == 0 ? FreePort.pick() : port;
            DynamoDBProxyServer server = null;
            try {
                server = ServerRunner.createServerFromCommandLineArgs(
                        new String[] {"-inMemory", "-port", Integer.toString(chosen), "-disableTelemetry"});
                server.start();
                return new EmbeddedDynamoDb(server, chosen);
            } catch (Exception e) {
                last = e;
                stopQuietly(server, e);
            }
        }
        throw new IllegalStateException("DynamoDB Local did not start on port " + port
                + (port == 0 ? "" : " (is the port in use, by another ./siyu local perhaps?)"), last);
    }

    public int port() {
        return port;
    }

    /** The endpoint override for the SDK; any region and any non-empty credentials are accepted. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("DynamoDB Local did not stop cleanly", e);
        }
    }

    private static void stopQuietly(DynamoDBProxyServer server, Exception cause) {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }
}
