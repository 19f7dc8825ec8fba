package dev.siyu.wecom;

import com.google.gson.JsonParseException;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.WeComApiException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import me.chanjar.weixin.common.error.WxError;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.common.error.WxRuntimeException;
import org.apache.http.client.HttpResponseException;

/**
 * The one retry policy of every WeCom API call:
 * <ul>
 *   <li>40001 / 40014 / 42001 (token bad or expired): refresh the token, retry once;</li>
 *   <li>45009 (rate limited), -1 (system busy), HTTP 5xx, connection errors and timeouts: retry
 *       with exponential backoff and jitter;</li>
 *   <li>every other errcode (41051 welcome code used included) and HTTP 4xx: fail at once;</li>
 *   <li>all of it inside {@link WeComSettings.Retry#callBudget()}, request timeouts included, so
 *       a callback that makes a few calls still answers inside WeCom's 5 s.</li>
 * </ul>
 * Except for the calls that reach people ({@link #NOT_IDEMPOTENT}): WeCom takes no idempotency key, so a
 * second attempt after a failure that does not prove WeCom did nothing (a time-out, a dropped connection, an
 * HTTP 5xx from a proxy, -1) could deliver the message twice. Those fail at once with errcode -1 and the
 * caller, who recorded its intent before the call, reconciles (get_groupmsg_list_v2, get_moment_list). Only
 * the answers that say WeCom did nothing are retried for them: a token error, 45009, a refused connection.
 * What still fails surfaces as {@link WeComApiException} with WeCom's errcode, or -1 for
 * transport failures. Each retry and each give-up is logged as one JSON line.
 */
final class WeComRetryPolicy {
    static final int SYSTEM_BUSY = -1;
    private static final Set<Integer> TOKEN_ERRORS = Set.of(40001, WeComApiException.TOKEN_INVALID,
            WeComApiException.TOKEN_EXPIRED);
    /** The calls that reach people and carry no idempotency key: never sent twice by this policy. */
    static final Set<String> NOT_IDEMPOTENT = Set.of("externalcontact/add_msg_template", "message/send",
            "externalcontact/add_moment_task", "externalcontact/send_welcome_msg");
    /** Less than this left after a backoff is not worth an attempt: give up and say so. */
    private static final long MIN_ATTEMPT_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final WeComSettings.Retry retry;
    private final DeadlineHttpClient http;
    private final Runnable expireToken;
    private final System.Logger log;

    /**
     * @param http        bounds every request of an attempt by what is left of the call's budget
     * @param expireToken drops the cached access token, so the next attempt fetches a new one
     * @param log         where retries and give-ups are logged (the API client's logger)
     */
    WeComRetryPolicy(WeComSettings.Retry retry, DeadlineHttpClient http, Runnable expireToken, System.Logger log) {
        this.retry = Objects.requireNonNull(retry, "retry");
        this.http = Objects.requireNonNull(http, "http");
        this.expireToken = Objects.requireNonNull(expireToken, "expireToken");
        this.log = Objects.requireNonNull(log, "log");
    }

    /** Runs action until it succeeds, fails for good, or the call budget is spent. */
    <T> T call(String api, DeadlineHttpClient.Action<T, WxErrorException> action) {
        boolean once = NOT_IDEMPOTENT.contains(api);
        long start = System.nanoTime();
        long deadline = start + retry.callBudget().toNanos();
        boolean tokenRefreshed = false;
        int backoffStep = 0;
        for (int attempt = 1; ; attempt++) {
            Failure failure;
            try {
                return http.within(deadline, action);
            } catch (WxErrorException e) {
                WxError error = e.getError();
                int code = error == null ? SYSTEM_BUSY : error.getErrorCode();
                String detail = "errcode " + code + " (" + errmsg(error, e) + ")";
                if (TOKEN_ERRORS.contains(code)) {
                    if (tokenRefreshed) {
                        throw giveUp(api, code, detail + ", again after a token refresh", attempt, start, e);
                    }
                    tokenRefreshed = true;
                    // WxJava marks it expired already; doing it here too keeps the policy visible.
                    expireToken.run();
                    failure = new Failure(code, 0, detail + ": refreshing the token", 0, e);
                } else if (code == WeComApiException.RATE_LIMITED) {
                    failure = new Failure(code, 0, detail, backoff(retry.rateLimitBackoff().toNanos(), backoffStep++), e);
                } else if (code == SYSTEM_BUSY && once) {
                    throw giveUp(api, code, detail + UNKNOWN_OUTCOME, attempt, start, e);
                } else if (code == SYSTEM_BUSY) {
                    failure = new Failure(code, 0, detail, backoff(retry.initialBackoff().toNanos(), backoffStep++), e);
                } else {
                    String hint = code == WeComApiException.WELCOME_CODE_USED && attempt > 1
                            ? " (an earlier attempt of this call may have delivered it)" : "";
                    throw giveUp(api, code, detail + hint, attempt, start, e);
                }
            } catch (WxRuntimeException e) {
                Throwable cause = e.getCause();
                if (cause instanceof HttpResponseException) {
                    int status = ((HttpResponseException) cause).getStatusCode();
                    if (status < 500) {
                        throw giveUp(api, SYSTEM_BUSY, "HTTP " + status, attempt, start, e);
                    }
                    if (once) {
                        throw giveUp(api, SYSTEM_BUSY, "HTTP " + status + UNKNOWN_OUTCOME, attempt, start, e);
                    }
                    failure = new Failure(SYSTEM_BUSY, status, "HTTP " + status,
                            backoff(retry.initialBackoff().toNanos(), backoffStep++), e);
                } else if (cause instanceof IOException && once && !notSent((IOException) cause)) {
                    throw giveUp(api, SYSTEM_BUSY, cause.getClass().getSimpleName() + ": " + cause.getMessage()
                            + UNKNOWN_OUTCOME, attempt, start, e);
                } else if (cause instanceof IOException) {
                    failure = new Failure(SYSTEM_BUSY, 0, cause.getClass().getSimpleName() + ": " + cause.getMessage(),
                            backoff(retry.initialBackoff().toNanos(), backoffStep++), e);
                } else {
                    throw giveUp(api, SYSTEM_BUSY, "WxJava: " + e.getMessage(), attempt, start, e);
                }
            } catch (JsonParseException e) {
                throw giveUp(api, SYSTEM_BUSY, "unreadable answer: " + e.getMessage(), attempt, start, e);
            }

            long remaining = deadline - System.nanoTime();
            if (failure.backoffNanos + MIN_ATTEMPT_NANOS > remaining) {
                throw giveUp(api, failure.errcode, failure.detail + "; call budget spent", attempt, start, failure.cause);
            }
            logRetry(api, attempt, failure, start);
            if (failure.backoffNanos > 0) {
                sleep(api, failure.backoffNanos);
            }
        }
    }

    private static final String UNKNOWN_OUTCOME = "; not retried: WeCom may have acted on it, the caller reconciles";

    /** Failures before the request left this process: WeCom cannot have acted on it. */
    private static boolean notSent(IOException e) {
        return e instanceof java.net.ConnectException || e instanceof org.apache.http.conn.ConnectTimeoutException
                || e instanceof org.apache.http.conn.HttpHostConnectException
                || e instanceof java.net.UnknownHostException;
    }

    /** Exponential from base, capped at maxBackoff, with jitter in [50 %, 100 %] so retries spread out. */
    private long backoff(long baseNanos, int step) {
        long cap = Math.max(retry.maxBackoff().toNanos(), baseNanos);
        long exp = baseNanos << Math.min(step, 20);
        long capped = Math.min(exp <= 0 ? cap : exp, cap);
        return capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1);
    }

    private static void sleep(String api, long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WeComApiException(SYSTEM_BUSY, api + " interrupted while backing off", e);
        }
    }

    private WeComApiException giveUp(String api, int errcode, String detail, int attempts, long start, Throwable cause) {
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        long budgetMs = retry.callBudget().toMillis();
        log.log(Level.WARNING, JsonLog.line("WeCom call failed", "event", "wecom_api_failed", "api", api,
                "errcode", errcode, "reason", detail, "attempts", attempts, "elapsed_ms", elapsedMs,
                "budget_ms", budgetMs));
        return new WeComApiException(errcode, api + ": " + detail + " (" + attempts
                + (attempts == 1 ? " attempt, " : " attempts, ") + elapsedMs + " ms of a " + budgetMs + " ms budget)",
                cause);
    }

    private void logRetry(String api, int attempt, Failure failure, long start) {
        List<Object> fields = new ArrayList<>(List.of("event", "wecom_api_retry", "api", api, "attempt", attempt,
                "errcode", failure.errcode));
        if (failure.httpStatus != 0) {
            fields.addAll(List.of("http_status", failure.httpStatus));
        }
        fields.addAll(List.of("reason", failure.detail,
                "backoff_ms", TimeUnit.NANOSECONDS.toMillis(failure.backoffNanos),
                "elapsed_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                "budget_ms", retry.callBudget().toMillis()));
        log.log(Level.INFO, JsonLog.line("WeCom call retried", fields.toArray()));
    }

    /** WxJava swaps errmsg for its own Chinese text and keeps WeCom's in errorMsgEn. */
    private static String errmsg(WxError error, WxErrorException e) {
        if (error == null) {
            return String.valueOf(e.getMessage());
        }
        String en = error.getErrorMsgEn();
        return en != null && !en.isBlank() ? en : String.valueOf(error.getErrorMsg());
    }

    private record Failure(int errcode, int httpStatus, String detail, long backoffNanos, Throwable cause) { }
}
