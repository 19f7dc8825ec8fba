package dev.siyu.core.miniapp;

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
}
