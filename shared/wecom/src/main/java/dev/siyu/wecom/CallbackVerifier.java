package dev.siyu.wecom;

import dev.siyu.core.event.WeComEvent;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * Checks and opens what WeCom posts to the callback URL. Order matters: the signature covers the
 * envelope's {@code <Encrypt>}, so the envelope is parsed first (at most
 * {@link CallbackEndpoint#MAX_BODY_BYTES}, by {@link SafeXml}: no DTD, no entities), then the
 * signature is checked, and only then is anything decrypted or the event parsed. An unauthenticated
 * sender reaches the small envelope parse and SHA-1, nothing more.
 *
 * <p>Throws {@link CallbackRejected.Unauthorized} (401) for a signature that does not match and
 * {@link CallbackRejected.BadRequest} (400) for everything else that is wrong. Body size limits
 * belong to the HTTP layer.
 */
public final class CallbackVerifier {

    private final String corpId;
    private final CallbackCipher cipher;
    private final CallbackParser parser;

    public CallbackVerifier(WeComSettings settings) {
        this.corpId = settings.corpId();
        this.cipher = new CallbackCipher(settings.token(), settings.aesKey());
        this.parser = new CallbackParser();
    }

    /** GET URL verification: the decrypted echostr to answer with, as plain text. */
    public String verifyUrl(String msgSignature, String timestamp, String nonce, String echostr) {
        require(msgSignature, "msg_signature");
        require(timestamp, "timestamp");
        require(nonce, "nonce");
        require(echostr, "echostr");
        checkSignature(msgSignature, timestamp, nonce, echostr);
        return openForThisCorp(echostr);
    }

    /** GET URL verification from the query string parameters. */
    public String verifyUrl(Map<String, String> query) {
        Map<String, String> q = query == null ? Map.of() : query;
        return verifyUrl(q.get("msg_signature"), q.get("timestamp"), q.get("nonce"), q.get("echostr"));
    }

    /** POST: verify, decrypt and parse into the domain event. */
    public WeComEvent verify(Map<String, String> query, String body) {
        return parser.parse(decrypt(query, body));
    }

    public WeComEvent verify(String msgSignature, String timestamp, String nonce, String body) {
        return parser.parse(decrypt(msgSignature, timestamp, nonce, body));
    }

    /** POST: verify and decrypt, for callers that keep the plaintext XML too. */
    public String decrypt(Map<String, String> query, String body) {
        Map<String, String> q = query == null ? Map.of() : query;
        return decrypt(q.get("msg_signature"), q.get("timestamp"), q.get("nonce"), body);
    }

    public String decrypt(String msgSignature, String timestamp, String nonce, String body) {
        require(msgSignature, "msg_signature");
        require(timestamp, "timestamp");
        require(nonce, "nonce");
        Element envelope = SafeXml.parse(body, "callback body");
        String encrypted = SafeXml.childText(envelope, "Encrypt");
        if (encrypted == null || encrypted.isBlank()) {
            throw CallbackRejected.badRequest("callback body has no Encrypt element");
        }
        checkSignature(msgSignature, timestamp, nonce, encrypted);
        return openForThisCorp(encrypted);
    }

    private void checkSignature(String msgSignature, String timestamp, String nonce, String encrypted) {
        if (!cipher.signatureMatches(msgSignature, timestamp, nonce, encrypted)) {
            throw CallbackRejected.unauthorized("msg_signature does not match: not signed with our token");
        }
    }

    private String openForThisCorp(String encrypted) {
        CallbackCipher.Opened opened = cipher.open(encrypted);
        if (!corpId.equals(opened.receiveId())) {
            throw CallbackRejected.badRequest("message was encrypted for corp id "
                    + CallbackRejected.quote(opened.receiveId()) + ", not the configured one");
        }
        return opened.message();
    }

    private static void require(String value, String name) {
        if (value == null || value.isEmpty()) {
            throw CallbackRejected.badRequest("missing query parameter " + name);
        }
    }
}
