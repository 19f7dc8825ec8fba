package dev.siyu.core.miniapp;

import java.util.Map;

/**
 * The WeChat Mini Program server API the member routes call (WxJava's Mini Program module in a function, the
 * local stub through it, an in-memory copy in tests). A refusal is a {@link MiniProgramRefusal} with WeChat's
 * errcode; any other failure is a RuntimeException the route answers with 502.
 */
public interface MiniProgram {

    /** What {@code jscode2session} answers: unionid is null when the app is in no Open Platform account. */
    record Session(String openid, String unionid) { }

    /** {@code auth.code2Session}: the login code (valid once, for 5 minutes) -> the member's ids. */
    Session session(String code);

    /** {@code phonenumber.getPhoneNumber}: the phone code (valid once) -> the number as "+<country><number>". */
    String phoneNumber(String code);

    /**
     * {@code subscribeMessage.send}: one message on one of the member's one-time subscriptions to templateId;
     * WeChat refuses it with 43101 when the member has none left.
     *
     * @param page the page a tap opens; null: none
     * @param data keyword (thing1, time2, ...) -> value
     */
    void sendSubscription(String openid, String templateId, String page, Map<String, String> data);

    /** A stack without a Mini Program: every call is refused (errcode -1), so a subscription step falls back. */
    MiniProgram NONE = new MiniProgram() {
        @Override
        public Session session(String code) {
            throw none();
        }

        @Override
        public String phoneNumber(String code) {
            throw none();
        }

        @Override
        public void sendSubscription(String openid, String templateId, String page, Map<String, String> data) {
            throw none();
        }

        private MiniProgramRefusal none() {
            return new MiniProgramRefusal(-1, "this function has no Mini Program app id and secret");
        }
    };
}
