package dev.siyu.stack.wecom;

import java.time.Duration;

/**
 * How the next {@code times} calls of one API misbehave. A delay is served first; then an HTTP
 * error status wins over an errcode; a delay alone lets the call proceed normally afterwards.
 *
 * @param errcode    WeCom errcode to answer with HTTP 200, 0 for none
 * @param httpStatus HTTP status to answer instead of JSON, 0 for none
 * @param delayMs    milliseconds to wait before answering, 0 for none
 * @param times      how many calls this applies to; {@link #FOREVER} until reset
 */
public record InjectedFailure(int errcode, int httpStatus, long delayMs, int times) {

    public static final int FOREVER = -1;

    public InjectedFailure {
        if (errcode == 0 && httpStatus == 0 && delayMs <= 0) {
            throw new IllegalArgumentException("a failure needs an errcode, an http_status or a delay_ms");
        }
        if (httpStatus != 0 && (httpStatus < 400 || httpStatus > 599)) {
            throw new IllegalArgumentException("http_status must be 4xx or 5xx, was " + httpStatus);
        }
        if (delayMs < 0) {
            throw new IllegalArgumentException("delay_ms must not be negative");
        }
        if (times == 0 || times < FOREVER) {
            throw new IllegalArgumentException("times must be positive or " + FOREVER + " (forever), was " + times);
        }
    }

    public static InjectedFailure errcode(int errcode, int times) {
        return new InjectedFailure(errcode, 0, 0, times);
    }

    public static InjectedFailure httpStatus(int status, int times) {
        return new InjectedFailure(0, status, 0, times);
    }

    public static InjectedFailure delay(Duration delay, int times) {
        return new InjectedFailure(0, 0, delay.toMillis(), times);
    }

    boolean forever() {
        return times == FOREVER;
    }

    InjectedFailure consumedOnce() {
        return forever() ? this : new InjectedFailure(errcode, httpStatus, delayMs, times - 1);
    }
}
