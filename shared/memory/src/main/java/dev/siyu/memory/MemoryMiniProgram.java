package dev.siyu.memory;

import dev.siyu.core.miniapp.MiniProgram;
import dev.siyu.core.miniapp.MiniProgramRefusal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Mini Program API in memory, with the rules the local stub has (docs/miniapp.md): a login code is taken
 * once within 5 minutes of its first sight (40163 when reused), an unseen code maps to an openid and unionid
 * derived from it; a phone code gives a number once. {@link #phoneFor} says which number a phone code gives.
 */
public final class MemoryMiniProgram implements MiniProgram {
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
    private final Clock clock;
    private final Map<String, Instant> usedCodes = new ConcurrentHashMap<>();
    private final Map<String, String> phones = new ConcurrentHashMap<>();
    private final Map<String, Boolean> usedPhoneCodes = new ConcurrentHashMap<>();
    /** code -> the code the same WeChat user first signed in with (whose openid and unionid it maps to). */
    private final Map<String, String> sameUser = new ConcurrentHashMap<>();
    /** openid + template id -> one-time subscriptions the member accepted and no message used yet. */
    private final Map<String, Integer> subscriptions = new ConcurrentHashMap<>();
    private final List<SentSubscription> sent = new CopyOnWriteArrayList<>();

    /** A subscription message WeChat accepted. */
    public record SentSubscription(String openid, String templateId, String page, Map<String, String> data) { }

    public MemoryMiniProgram(Clock clock) {
        this.clock = clock;
    }

    /** The openid the stub (and this) derives from a login code. */
    public static String openidOf(String code) {
        return "o" + digest("openid:" + code).substring(0, 27);
    }

    public static String unionidOf(String code) {
        return "u" + digest("unionid:" + code).substring(0, 27);
    }

    /**
     * wx.login gave code to the WeChat user who first signed in with firstCode: it maps to that user's openid and
     * unionid (WeChat gives one user a new code per login, the same ids every time).
     */
    public void codeIssued(String code, String firstCode) {
        sameUser.put(code, firstCode);
    }

    /** The member accepted templateId once in wx.requestSubscribeMessage (WeChat learns it on the phone). */
    public void subscribed(String openid, String templateId) {
        subscriptions.merge(openid + " " + templateId, 1, Integer::sum);
    }

    /** The subscription messages sent, in order. */
    public List<SentSubscription> sentSubscriptions() {
        return List.copyOf(sent);
    }

    @Override
    public void sendSubscription(String openid, String templateId, String page, Map<String, String> data) {
        boolean[] had = {false};
        subscriptions.computeIfPresent(openid + " " + templateId, (k, n) -> {
            had[0] = true;
            return n > 1 ? n - 1 : null;
        });
        if (!had[0]) {
            throw new MiniProgramRefusal(43101, "user refuse to accept the msg");
        }
        sent.add(new SentSubscription(openid, templateId, page, Map.copyOf(data)));
    }

    public void phoneFor(String code, String number) {
        phones.put(code, number);
    }

    @Override
    public Session session(String code) {
        if (usedCodes.putIfAbsent(code, clock.instant()) != null) {
            throw new MiniProgramRefusal(40163, "code been used");
        }
        String user = sameUser.getOrDefault(code, code);
        return new Session(openidOf(user), unionidOf(user));
    }

    @Override
    public String phoneNumber(String code) {
        if (usedPhoneCodes.putIfAbsent(code, true) != null) {
            throw new MiniProgramRefusal(40029, "invalid code");
        }
        String n = phones.get(code);
        if (n == null) {
            throw new MiniProgramRefusal(40029, "invalid code");
        }
        return n;
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
