package dev.siyu.wecom;

/**
 * A WeCom callback that must not be acted on. The HTTP handler answers {@link #httpStatus()} with
 * {@link #reason()} and writes nothing; WeCom itself never gets these for genuine traffic.
 */
public abstract sealed class CallbackRejected extends RuntimeException
        permits CallbackRejected.Unauthorized, CallbackRejected.BadRequest {

    private final String reason;

    private CallbackRejected(String reason, Throwable cause) {
        super(reason, cause);
        this.reason = reason;
    }

    /** The signature does not prove the sender knows our token: 401. */
    public static Unauthorized unauthorized(String reason) {
        return new Unauthorized(reason);
    }

    /** Signed, but not something WeCom would send us (bad ciphertext, other corp, bad XML): 400. */
    public static BadRequest badRequest(String reason) {
        return new BadRequest(reason, null);
    }

    public static BadRequest badRequest(String reason, Throwable cause) {
        return new BadRequest(reason, cause);
    }

    /**
     * A value from the request, quoted for a reason: cut short and with control characters
     * replaced, since reasons are logged and echoed back.
     */
    static String quote(String value) {
        if (value == null) {
            return "null";
        }
        String cut = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        StringBuilder sb = new StringBuilder(cut.length() + 2).append('\'');
        cut.codePoints().forEach(c -> sb.appendCodePoint(c < 0x20 || c == 0x7f ? '?' : c));
        return sb.append('\'').toString();
    }

    public String reason() {
        return reason;
    }

    public abstract int httpStatus();

    public static final class Unauthorized extends CallbackRejected {
        private Unauthorized(String reason) {
            super(reason, null);
        }

        @Override
        public int httpStatus() {
            return 401;
        }
    }

    public static final class BadRequest extends CallbackRejected {
        private BadRequest(String reason, Throwable cause) {
            super(reason, cause);
        }

        @Override
        public int httpStatus() {
            return 400;
        }
    }
}
