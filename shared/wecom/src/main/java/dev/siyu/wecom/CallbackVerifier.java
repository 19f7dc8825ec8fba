package dev.siyu.wecom;

import dev.siyu.core.event.WeComEvent;
import java.util.Map;

/**
 * Checks and opens what WeCom posts to the callback URL. Order matters: the signature covers the
 * envelope's {@code <Encrypt>}, so the envelope has to be parsed before the signature can be checked.
 * That parse is therefore unauthenticated and kept small: at most {@link CallbackEndpoint#MAX_BODY_BYTES},
 * read as a stream that keeps only ToUserName, Encrypt and AgentID ({@link SafeXml#envelope}: no DTD, no
 * entities, no tree). Then the signature is checked, then the timestamp's freshness, and only then is
 * anything decrypted or the event parsed. An unauthenticated sender reaches the envelope stream and
 * SHA-1, nothing more.
 *
 * <p>Freshness: WeCom signs the query's {@code timestamp}, and a request whose timestamp is more than
 * {@link #FRESHNESS} from now is refused, so a captured callback cannot be replayed later. WeCom retries
 * a callback it got no answer to within 5 s, three times in all (the rule of its 接收消息与事件 page, as
 * quoted at developers.weixin.qq.com/community/develop/doc/000c6cde734cc05249730c8e96b800), so its
 * retries arrive within seconds to a minute or two of the event; ten minutes
 * leaves room for clock skew and slow retries, and the three-day dedup claim (CallbackProcessor) covers
 * far longer than the window, so a replay inside it is answered as a duplicate.
 *
 * <p>Throws {@link CallbackRejected.Unauthorized} (401) for a signature that does not match and
 * {@link CallbackRejected.BadRequest} (400) for everything else that is wrong. Body size limits
 * belong to the HTTP layer.
 */
public final class CallbackVerifier {

    /** How far a signed timestamp may be from now, either way. */
    public static final java.time.Duration FRESHNESS = java.time.Duration.ofMinutes(10);

    private final String corpId;
    private final CallbackCipher cipher;
    private final CallbackParser parser;
    private final java.time.Clock clock;
    private final java.time.Duration maxAge;

    /** Checks every timestamp against clock (the function's; a simulation passes its own). */
    public CallbackVerifier(WeComSettings settings, java.time.Clock clock) {
        this(settings, clock, FRESHNESS);
    }

    /** With a window of its own, e.g. wide enough to replay recorded samples through a function. */
    public CallbackVerifier(WeComSettings settings, java.time.Clock clock, java.time.Duration maxAge) {
        this.corpId = settings.corpId();
        this.cipher = new CallbackCipher(settings.token(), settings.aesKey());
        this.parser = new CallbackParser();
        this.clock = clock;
        this.maxAge = maxAge;
    }

    /**
     * No freshness check: for replaying recorded callbacks (samples, simulations on their own calendar).
     * Functions facing WeCom use {@link #CallbackVerifier(WeComSettings, java.time.Clock)}.
     */
    public CallbackVerifier(WeComSettings settings) {
        this(settings, null, FRESHNESS);
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
        String encrypted = SafeXml.envelope(body, "callback body").encrypt();
        if (encrypted == null || encrypted.isBlank()) {
            throw CallbackRejected.badRequest("callback body has no Encrypt element");
        }
        checkSignature(msgSignature, timestamp, nonce, encrypted);
        checkFresh(timestamp);
        return openForThisCorp(encrypted);
    }

    /** After the signature: only a timestamp WeCom signed is worth judging. */
    private void checkFresh(String timestamp) {
        if (clock == null) {
            return;
        }
        long signedAt;
        try {
            signedAt = Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw CallbackRejected.badRequest("timestamp is not a number of seconds");
        }
        long skew = Math.abs(clock.instant().getEpochSecond() - signedAt);
        if (skew > maxAge.toSeconds()) {
            throw CallbackRejected.badRequest("timestamp is " + skew + " s from now, more than the "
                    + maxAge.toMinutes() + " minutes a WeCom delivery or retry takes (replay refused)");
        }
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
