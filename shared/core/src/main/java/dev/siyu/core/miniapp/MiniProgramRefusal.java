package dev.siyu.core.miniapp;

/** WeChat refused a Mini Program call: errcode is WeChat's (40029 invalid code, 40163 code used, ...). */
public final class MiniProgramRefusal extends RuntimeException {
    private final int errcode;

    public MiniProgramRefusal(int errcode, String message) {
        super(errcode + ": " + message);
        this.errcode = errcode;
    }

    public int errcode() {
        return errcode;
    }
}
