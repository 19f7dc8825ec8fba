package dev.siyu.wecom;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Plays WeCom's side of the callback: encrypts and signs a plaintext message for our token and
 * key. Used by tests, the local simulator and the events/ generator; production never encrypts.
 */
public final class CallbackEncryptor {

    private final WeComSettings settings;
    private final CallbackCipher cipher;
    private final RandomGenerator random;

    public CallbackEncryptor(WeComSettings settings) {
        this(settings, new SecureRandom());
    }

    /** A seeded generator makes the output byte-for-byte reproducible (events/ samples). */
    public CallbackEncryptor(WeComSettings settings, RandomGenerator random) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cipher = new CallbackCipher(settings.token(), settings.aesKey());
        this.random = Objects.requireNonNull(random, "random");
    }

    /** A POST body and its msg_signature, encrypted for {@code settings.corpId()}. */
    public EncryptedCallback encrypt(String plaintextXml, String timestamp, String nonce) {
        String encrypted = cipher.encrypt(randomPrefix(), plaintextXml, settings.corpId());
        String signature = cipher.signature(timestamp, nonce, encrypted);
        String agent = settings.agentId().map(String::valueOf).orElse("");
        String body = "<xml><ToUserName><![CDATA[" + settings.corpId() + "]]></ToUserName>"
                + "<Encrypt><![CDATA[" + encrypted + "]]></Encrypt>"
                + "<AgentID><![CDATA[" + agent + "]]></AgentID></xml>";
        return new EncryptedCallback(body, signature, timestamp, nonce, encrypted);
    }

    /** The URL-verification GET for an echo string WeCom would pick at random. */
    public UrlVerification urlVerification(String echo, String timestamp, String nonce) {
        String echostr = cipher.encrypt(randomPrefix(), echo, settings.corpId());
        return new UrlVerification(cipher.signature(timestamp, nonce, echostr), timestamp, nonce, echostr);
    }

    /** Signs an arbitrary Encrypt value, so tests can build tampered but correctly signed input. */
    public String sign(String timestamp, String nonce, String encrypt) {
        return cipher.signature(timestamp, nonce, encrypt);
    }

    private byte[] randomPrefix() {
        byte[] prefix = new byte[16];
        random.nextBytes(prefix);
        return prefix;
    }
}
