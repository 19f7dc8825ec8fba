package dev.siyu.wecom;

import java.util.LinkedHashMap;
import java.util.Map;

/** The GET WeCom sends when the callback URL is saved in the admin console. */
public record UrlVerification(String msgSignature, String timestamp, String nonce, String echostr) {

    public Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("msg_signature", msgSignature);
        q.put("timestamp", timestamp);
        q.put("nonce", nonce);
        q.put("echostr", echostr);
        return q;
    }
}
