package dev.siyu.wecom;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A callback POST as WeCom sends it.
 *
 * @param body     the XML body: {@code <xml><ToUserName/><Encrypt/><AgentID/></xml>}
 * @param encrypt  the Base64 ciphertext inside the body
 */
public record EncryptedCallback(String body, String msgSignature, String timestamp, String nonce, String encrypt) {

    /** The query string parameters WeCom appends to the callback URL. */
    public Map<String, String> query() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("msg_signature", msgSignature);
        q.put("timestamp", timestamp);
        q.put("nonce", nonce);
        return q;
    }
}
