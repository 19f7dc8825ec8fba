package dev.siyu.wecom;

import dev.siyu.core.port.WeComApi;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.client.ClientProtocolException;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpRequestBase;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.ClientConnectionManager;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;
import org.apache.http.params.HttpParams;
import org.apache.http.protocol.HttpContext;

/**
 * The Apache HttpClient WxJava sends through, with every request's connect, pool and read
 * timeouts cut to what is left of the current call's budget, so one slow answer cannot outlive
 * the budget. The deadline is per thread because WxJava gives us no way to pass it along.
 *
 * <p>Built here rather than by WxJava's DefaultApacheHttpClientBuilder because that one is a
 * JVM-wide singleton, trusts every TLS certificate, and starts an idle-connection thread.
 */
@SuppressWarnings("deprecation") // getParams/getConnectionManager are abstract in HttpClient 4.5
final class DeadlineHttpClient extends CloseableHttpClient {

    private final CloseableHttpClient delegate;
    private final int defaultTimeoutMillis;
    private final ThreadLocal<Long> deadlineNanos = new ThreadLocal<>();
    /** The touch id of the delivery this thread's requests make (WeComApi#touching), else null. */
    private final ThreadLocal<String> touchId = new ThreadLocal<>();

    DeadlineHttpClient(int defaultTimeoutMillis) {
        this.defaultTimeoutMillis = defaultTimeoutMillis;
        PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(
                RegistryBuilder.<ConnectionSocketFactory>create()
                        .register("http", PlainConnectionSocketFactory.getSocketFactory())
                        .register("https", new SSLConnectionSocketFactory(defaultSslContext()))
                        .build());
        pool.setMaxTotal(32);
        pool.setDefaultMaxPerRoute(32);
        // A Lambda sandbox is frozen between invocations; re-check connections idle longer than this.
        pool.setValidateAfterInactivity(1000);
        this.delegate = HttpClients.custom()
                .setConnectionManager(pool)
                // Our retry policy is the only one: HttpClient's own would retry inside the budget unseen.
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setConnectionTimeToLive(5, TimeUnit.MINUTES)
                .setDefaultRequestConfig(config(defaultTimeoutMillis))
                .build();
    }

    /** Runs the action with requests on this thread bounded by the deadline (System.nanoTime). */
    <T, E extends Exception> T within(long deadline, Action<T, E> action) throws E {
        Long outer = deadlineNanos.get();
        deadlineNanos.set(deadline);
        try {
            return action.run();
        } finally {
            if (outer == null) {
                deadlineNanos.remove();
            } else {
                deadlineNanos.set(outer);
            }
        }
    }

    /**
     * Runs the action with requests on this thread carrying the touch id as {@value WeComApi#TOUCH_ID_HEADER}:
     * per thread, like the deadline, since WxJava builds its requests itself.
     */
    <T, E extends Exception> T touching(String id, Action<T, E> action) throws E {
        String outer = touchId.get();
        touchId.set(id);
        try {
            return action.run();
        } finally {
            if (outer == null) {
                touchId.remove();
            } else {
                touchId.set(outer);
            }
        }
    }

    @Override
    protected CloseableHttpResponse doExecute(HttpHost target, HttpRequest request, HttpContext context)
            throws IOException, ClientProtocolException {
        int timeout = remainingMillis();
        if (timeout <= 0) {
            throw new SocketTimeoutException("call budget spent before the request was sent");
        }
        if (request instanceof HttpRequestBase) {
            ((HttpRequestBase) request).setConfig(config(timeout));
        }
        String id = touchId.get();
        if (id != null) {
            request.setHeader(WeComApi.TOUCH_ID_HEADER, id);
        }
        return delegate.execute(target, request, context);
    }

    private int remainingMillis() {
        Long deadline = deadlineNanos.get();
        if (deadline == null) {
            return defaultTimeoutMillis;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return (int) Math.min(left, Integer.MAX_VALUE);
    }

    private static RequestConfig config(int timeoutMillis) {
        return RequestConfig.custom()
                .setConnectTimeout(timeoutMillis)
                .setConnectionRequestTimeout(timeoutMillis)
                .setSocketTimeout(timeoutMillis)
                .build();
    }

    private static SSLContext defaultSslContext() {
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    @Override
    public void close() throws IOException {
        delegate.close();
    }

    @Override
    public HttpParams getParams() {
        return delegate.getParams();
    }

    @Override
    public ClientConnectionManager getConnectionManager() {
        return delegate.getConnectionManager();
    }

    @FunctionalInterface
    interface Action<T, E extends Exception> {
        T run() throws E;
    }
}
