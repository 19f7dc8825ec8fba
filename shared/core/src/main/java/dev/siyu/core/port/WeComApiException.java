package dev.siyu.core.port;

/** A WeCom API call that failed after the adapter's own retries; errcode is WeCom's (or -1 for transport). */
public class WeComApiException extends RuntimeException {
    public static final int WELCOME_CODE_USED = 41051;
    public static final int TOKEN_EXPIRED = 42001;
    public static final int TOKEN_INVALID = 40014;
    public static final int RATE_LIMITED = 45009;
    public static final int MONTHLY_SEND_CAP = 41048;
    /** add_corp_tag: the tag name already exists in the group (someone else created it first). */
    public static final int TAG_EXISTS = 40071;

    private final int errcode;

    public WeComApiException(int errcode, String message, Throwable cause) {
        super("WeCom errcode " + errcode + ": " + message, cause);
        this.errcode = errcode;
    }

    public int errcode() {
        return errcode;
    }

    /**
     * True when WeCom answered that it did not act (a positive errcode). -1 (a time-out, a dropped connection,
     * an HTTP 5xx on a call that is not retried) is an unknown outcome: WeCom may have acted.
     */
    public boolean refused() {
        return errcode > 0;
    }

    /** True only when the failure proves WeCom did not act: what a dedup claim may be given back on. */
    public static boolean certainlyNotDone(RuntimeException e) {
        return e instanceof WeComApiException w && w.refused();
    }
}
