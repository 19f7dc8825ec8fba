package dev.siyu.sidebar;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The signature {@code wx.agentConfig} needs (JS-SDK使用权限签名算法, https://developer.work.weixin.qq.com/document/path/90506;
 * wx.agentConfig, document/path/94313): sha1 of {@code jsapi_ticket=T&noncestr=N&timestamp=S&url=U}, fields in
 * that order, values raw (not URL-escaped), url the page's address without its {@code #} part, signed with the
 * app's agent_config ticket.
 */
public final class AgentConfigSigner {
    private static final char[] NONCE_CHARS = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789".toCharArray();
    private final SecureRandom random = new SecureRandom();

    /** What the page passes to wx.agentConfig. */
    public record AgentConfig(String corpId, int agentId, long timestamp, String nonceStr, String signature) { }

    public AgentConfig sign(String corpId, int agentId, String ticket, String url, long timestamp) {
        return sign(corpId, agentId, ticket, url, timestamp, nonce());
    }

    public AgentConfig sign(String corpId, int agentId, String ticket, String url, long timestamp, String nonce) {
        return new AgentConfig(corpId, agentId, timestamp, nonce, signature(ticket, nonce, timestamp, url));
    }

    /** The signature of the page at url: the part after '#' is not signed. */
    public static String signature(String ticket, String nonce, long timestamp, String url) {
        int hash = url.indexOf('#');
        String page = hash < 0 ? url : url.substring(0, hash);
        String plain = "jsapi_ticket=" + ticket + "&noncestr=" + nonce + "&timestamp=" + timestamp + "&url=" + page;
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(plain.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
    }

    private String nonce() {
        char[] out = new char[16];
        for (int i = 0; i < out.length; i++) {
            out[i] = NONCE_CHARS[random.nextInt(NONCE_CHARS.length)];
        }
        return new String(out);
    }
}
