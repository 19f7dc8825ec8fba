package dev.siyu.sim;

/**
 * What the members' phones and WeCom tell the simulated WeChat: which WeChat user a wx.login code belongs to, and
 * the unionid WeCom reports for a contact. The in-memory Mini Program and the local stub derive a user's openid and
 * unionid from the code the user first signed in with, the same way, so the demo knows them without asking.
 */
public interface SimulatedWeChat {
    /** wx.login gave code to the WeChat user who first signed in with firstCode (their openid and unionid). */
    void loginCodeIssued(String code, String firstCode);

    /** The openid WeChat gives the Mini Program user who first signed in with firstCode. */
    String openidOf(String firstCode);

    /** The unionid WeChat gives that user: the same person in the brand's WeCom has it too. */
    String unionidOf(String firstCode);

    /** From now on WeCom's externalcontact/get reports this unionid for the contact. */
    void contactUnionId(String externalUserId, String unionId);

    /** The member accepted one message of templateId in wx.requestSubscribeMessage: WeChat now allows one. */
    void subscribed(String openid, String templateId);

    /** The OAuth code WeCom gives this staff member's page (auth/getuserinfo names them with it). */
    String staffOAuthCode(String staffUserId);
}
