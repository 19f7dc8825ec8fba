package dev.siyu.wecom;

import cn.binarywang.wx.miniapp.api.WxMaService;
import cn.binarywang.wx.miniapp.api.impl.WxMaServiceImpl;
import cn.binarywang.wx.miniapp.bean.WxMaJscode2SessionResult;
import cn.binarywang.wx.miniapp.bean.WxMaPhoneNumberInfo;
import cn.binarywang.wx.miniapp.bean.WxMaSubscribeMessage;
import cn.binarywang.wx.miniapp.config.impl.WxMaDefaultConfigImpl;
import dev.siyu.core.miniapp.MiniProgram;
import dev.siyu.core.miniapp.MiniProgramRefusal;
import java.util.Map;
import me.chanjar.weixin.common.error.WxErrorException;

/**
 * {@link MiniProgram} through WxJava's Mini Program module: {@code jscode2session}, {@code getuserphonenumber}
 * and {@code subscribeMessage.send}, its API host pointed at the local stub when one is given (every path,
 * the access token's included, goes to that host). No retries here: a login code is good once, and a retried
 * code2Session whose first answer was lost would only earn 40163. The access token is the stable one
 * ({@code POST /cgi-bin/stable_token}, never force-refreshed), so any number of instances share it.
 */
public final class WxJavaMiniProgram implements MiniProgram {
    private final WxMaService service;

    /** @param apiHostUrl e.g. http://127.0.0.1:40123 for the stub; null or blank for https://api.weixin.qq.com */
    public WxJavaMiniProgram(String appId, String appSecret, String apiHostUrl) {
        WxMaDefaultConfigImpl config = new WxMaDefaultConfigImpl();
        config.setAppid(appId);
        config.setSecret(appSecret);
        // Every function instance fetches its own token: plain cgi-bin/token would end the other instances' tokens
        // 5 minutes after each fetch and share a 2000-a-day quota; the stable token is the same for all of them.
        config.useStableAccessToken(true);
        if (apiHostUrl != null && !apiHostUrl.isBlank()) {
            config.setApiHostUrl(apiHostUrl.endsWith("/") ? apiHostUrl.substring(0, apiHostUrl.length() - 1) : apiHostUrl);
        }
        WxMaServiceImpl s = new WxMaServiceImpl();
        s.setWxMaConfig(config);
        s.setMaxRetryTimes(0);
        this.service = s;
    }

    @Override
    public Session session(String code) {
        try {
            WxMaJscode2SessionResult r = service.jsCode2SessionInfo(code);
            if (r.getOpenid() == null || r.getOpenid().isBlank()) {
                throw new MiniProgramRefusal(-1, "jscode2session answered without an openid");
            }
            return new Session(r.getOpenid(), r.getUnionid());
        } catch (WxErrorException e) {
            throw refusal(e);
        }
    }

    @Override
    public String phoneNumber(String code) {
        try {
            WxMaPhoneNumberInfo info = service.getUserService().getPhoneNumber(code);
            String cc = info.getCountryCode() == null || info.getCountryCode().isBlank() ? "86" : info.getCountryCode();
            return info.getPurePhoneNumber() != null ? "+" + cc + info.getPurePhoneNumber() : info.getPhoneNumber();
        } catch (WxErrorException e) {
            throw refusal(e);
        }
    }

    /** {@code subscribeMessage.send}: one message on the member's one-time subscription to templateId. */
    @Override
    public void sendSubscription(String openid, String templateId, String page, Map<String, String> data) {
        WxMaSubscribeMessage m = new WxMaSubscribeMessage();
        m.setToUser(openid);
        m.setTemplateId(templateId);
        m.setPage(page);
        data.forEach((k, v) -> m.addData(new WxMaSubscribeMessage.MsgData(k, v)));
        try {
            service.getMsgService().sendSubscribeMsg(m);
        } catch (WxErrorException e) {
            throw refusal(e);
        }
    }

    private static MiniProgramRefusal refusal(WxErrorException e) {
        return new MiniProgramRefusal(e.getError().getErrorCode(), String.valueOf(e.getError().getErrorMsg()));
    }
}
