package dev.siyu.wecom;

import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How this deployment talks to one WeCom corp: the callback secrets (token, EncodingAESKey) and
 * the API credentials (corp id, secret of the customer-contact app), plus the retry budget.
 *
 * @param agentId          {@code SIYU_WECOM_AGENT_ID}, optional: the self-built app's AgentID. Callbacks
 *                         may come from that app, and {@code message/send} (staff notifications) must
 *                         name it, so in production the secret should be that app's, with the
 *                         customer-contact API granted to it. Unset while {@code apiBaseUrl} points
 *                         elsewhere than WeCom (the local stub), notifications use
 *                         {@link #LOCAL_AGENT_ID} 1000002; unset against WeCom itself, a notification
 *                         fails with a message naming the variable
 * @param apiBaseUrl       where {@code /cgi-bin/...} lives; empty means WeCom itself
 * @param miniProgramAppId {@code SIYU_MINIAPP_APP_ID}, optional: the Mini Program that
 *                         {@code miniprogram} attachments open; the same local-default rule with
 *                         {@link #LOCAL_MINIAPP_APP_ID}
 * @param contactsSecret   {@code SIYU_WECOM_CONTACTS_SECRET}, optional: the contacts (通讯录同步) secret, the only
 *                         one WeCom lets read the directory (department/list, user/list_id, user/get). It gets an
 *                         access token of its own ({@link #contactsAccessTokenKey()}). Unset: the directory is
 *                         not read (the staff-directory job says so and skips)
 */
public record WeComSettings(String corpId, Optional<Integer> agentId, String secret, String token, String aesKey,
                            Optional<String> apiBaseUrl, Retry retry, Optional<String> miniProgramAppId,
                            Optional<String> contactsSecret) {

    public static final String DEFAULT_API_BASE_URL = "https://qyapi.weixin.qq.com";
    /** The AgentID WeCom gives a corp's second app, and the local stub's stand-in when none is set. */
    public static final int LOCAL_AGENT_ID = 1000002;
    /** A well-formed placeholder AppID for Mini Program attachments sent to the local stub. */
    public static final String LOCAL_MINIAPP_APP_ID = "wx0000000000000000";
    /** WeCom's EncodingAESKey is 43 Base64 characters: 32 key bytes once "=" is appended. */
    static final int AES_KEY_CHARS = 43;

    public WeComSettings {
        requireText(corpId, "corpId");
        Objects.requireNonNull(secret, "secret");
        requireText(token, "token");
        aesKeyBytes(aesKey);
        agentId = agentId == null ? Optional.empty() : agentId;
        apiBaseUrl = apiBaseUrl == null ? Optional.empty()
                : apiBaseUrl.filter(u -> !u.isBlank()).map(WeComSettings::withoutTrailingSlash);
        retry = retry == null ? Retry.defaults() : retry;
        miniProgramAppId = miniProgramAppId == null ? Optional.empty() : miniProgramAppId.filter(a -> !a.isBlank());
        contactsSecret = contactsSecret == null ? Optional.empty() : contactsSecret.map(String::trim)
                .filter(c -> !c.isEmpty());
    }

    /** Without a contacts secret: the shape this record had before, kept for its callers. */
    public WeComSettings(String corpId, Optional<Integer> agentId, String secret, String token, String aesKey,
                         Optional<String> apiBaseUrl, Retry retry, Optional<String> miniProgramAppId) {
        this(corpId, agentId, secret, token, aesKey, apiBaseUrl, retry, miniProgramAppId, Optional.empty());
    }

    /** Without a Mini Program: the shape this record had before, kept for its callers. */
    public WeComSettings(String corpId, Optional<Integer> agentId, String secret, String token, String aesKey,
                         Optional<String> apiBaseUrl, Retry retry) {
        this(corpId, agentId, secret, token, aesKey, apiBaseUrl, retry, Optional.empty(), Optional.empty());
    }

    public static WeComSettings of(String corpId, String secret, String token, String aesKey) {
        return new WeComSettings(corpId, Optional.empty(), secret, token, aesKey, Optional.empty(), Retry.defaults());
    }

    /**
     * Reads {@code SIYU_WECOM_CORP_ID}, {@code _SECRET}, {@code _TOKEN}, {@code _AES_KEY} and the
     * optional {@code _AGENT_ID}, {@code _API_BASE_URL}, {@code _CALL_BUDGET_MS} (config/local.env
     * names), {@code SIYU_MINIAPP_APP_ID} and {@code SIYU_WECOM_CONTACTS_SECRET}, so the function, the CLI and the samples generator
     * share one spelling.
     */
    public static WeComSettings fromEnv(Map<String, String> env) {
        Retry retry = Retry.defaults();
        String budget = env.get("SIYU_WECOM_CALL_BUDGET_MS");
        if (budget != null && !budget.isBlank()) {
            retry = retry.withCallBudget(Duration.ofMillis(Long.parseLong(budget.trim())));
        }
        String agent = env.get("SIYU_WECOM_AGENT_ID");
        return new WeComSettings(required(env, "SIYU_WECOM_CORP_ID"),
                agent == null || agent.isBlank() ? Optional.empty() : Optional.of(Integer.valueOf(agent.trim())),
                env.getOrDefault("SIYU_WECOM_SECRET", ""), required(env, "SIYU_WECOM_TOKEN"),
                required(env, "SIYU_WECOM_AES_KEY"), Optional.ofNullable(env.get("SIYU_WECOM_API_BASE_URL")), retry,
                Optional.ofNullable(env.get("SIYU_MINIAPP_APP_ID")).map(String::trim),
                Optional.ofNullable(env.get("SIYU_WECOM_CONTACTS_SECRET")));
    }

    public String baseUrl() {
        return apiBaseUrl.orElse(DEFAULT_API_BASE_URL);
    }

    /**
     * The AgentID {@code message/send} names. A default against WeCom itself would send to some
     * other app of the corp or fail obscurely, so there it must be set.
     */
    public int notifyAgentId() {
        return agentId.orElseGet(() -> localDefault("SIYU_WECOM_AGENT_ID", LOCAL_AGENT_ID));
    }

    /** The AppID {@code miniprogram} attachments carry; same rule as {@link #notifyAgentId()}. */
    public String miniProgramAppIdOrLocal() {
        return miniProgramAppId.orElseGet(() -> localDefault("SIYU_MINIAPP_APP_ID", LOCAL_MINIAPP_APP_ID));
    }

    private <T> T localDefault(String variable, T local) {
        if (baseUrl().equals(DEFAULT_API_BASE_URL)) {
            throw new IllegalStateException(variable + " is not set; it is required when calling WeCom itself ("
                    + DEFAULT_API_BASE_URL + ")");
        }
        return local;
    }

    public WeComSettings withApiBaseUrl(String url) {
        return new WeComSettings(corpId, agentId, secret, token, aesKey, Optional.of(url), retry, miniProgramAppId,
                contactsSecret);
    }

    public WeComSettings withRetry(Retry newRetry) {
        return new WeComSettings(corpId, agentId, secret, token, aesKey, apiBaseUrl, newRetry, miniProgramAppId,
                contactsSecret);
    }

    public WeComSettings withAgentId(int id) {
        return new WeComSettings(corpId, Optional.of(id), secret, token, aesKey, apiBaseUrl, retry, miniProgramAppId,
                contactsSecret);
    }

    public WeComSettings withCorpId(String id) {
        return new WeComSettings(id, agentId, secret, token, aesKey, apiBaseUrl, retry, miniProgramAppId,
                contactsSecret);
    }

    public WeComSettings withMiniProgramAppId(String appId) {
        return new WeComSettings(corpId, agentId, secret, token, aesKey, apiBaseUrl, retry, Optional.of(appId),
                contactsSecret);
    }

    public WeComSettings withContactsSecret(String secret) {
        return new WeComSettings(corpId, agentId, this.secret, token, aesKey, apiBaseUrl, retry, miniProgramAppId,
                Optional.ofNullable(secret));
    }

    /** Names the contacts secret's access token in the shared cache: another secret, another token. */
    public String contactsAccessTokenKey() {
        return tokenKey(contactsSecret.orElseThrow(() -> new IllegalStateException("no contacts secret")));
    }

    /**
     * Names the access token of this corp and app in a shared cache: the corp id and a digest of the secret
     * (a token belongs to one secret; the digest keeps the secret itself out of the table).
     */
    public String accessTokenKey() {
        return tokenKey(secret);
    }

    private String tokenKey(String secret) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return corpId + "#" + java.util.HexFormat.of().formatHex(digest, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** The record default would print the secret, token and AES key into whatever logs this. */
    @Override
    public String toString() {
        return "WeComSettings[corpId=" + corpId + ", agentId=" + agentId.map(String::valueOf).orElse("-")
                + ", secret=***, token=***, aesKey=***, apiBaseUrl=" + baseUrl() + ", retry=" + retry
                + ", miniProgramAppId=" + miniProgramAppId.orElse("-")
                + ", contactsSecret=" + (contactsSecret.isPresent() ? "***" : "-") + "]";
    }

    static byte[] aesKeyBytes(String encodingAesKey) {
        requireText(encodingAesKey, "aesKey");
        if (encodingAesKey.length() != AES_KEY_CHARS) {
            throw new IllegalArgumentException("aesKey (EncodingAESKey) must be " + AES_KEY_CHARS
                    + " characters, was " + encodingAesKey.length());
        }
        try {
            // 43 characters and one "=" always decode to exactly 32 bytes: AES-256.
            return Base64.getDecoder().decode(encodingAesKey + "=");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("aesKey (EncodingAESKey) is not Base64: " + e.getMessage(), e);
        }
    }

    private static String required(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is not set");
        }
        return v.trim();
    }

    private static void requireText(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static String withoutTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * The retry budget of one API call. WeCom retries a callback that has not answered in 5 s, and
     * the callback makes several API calls, so each call gets a fraction of that.
     *
     * @param callBudget       wall time for all attempts of one call, backoffs and token refresh included
     * @param initialBackoff   first wait after a 5xx, a connection error or errcode -1; doubles per retry
     * @param maxBackoff       cap on any single wait
     * @param rateLimitBackoff first wait after errcode 45009 (rate limited); doubles per retry
     */
    public record Retry(Duration callBudget, Duration initialBackoff, Duration maxBackoff, Duration rateLimitBackoff) {

        public Retry {
            positive(callBudget, "callBudget");
            positive(initialBackoff, "initialBackoff");
            positive(maxBackoff, "maxBackoff");
            positive(rateLimitBackoff, "rateLimitBackoff");
        }

        /** 1.5 s per call leaves room for three calls and the store writes inside WeCom's 5 s. */
        public static Retry defaults() {
            return new Retry(Duration.ofMillis(1500), Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofMillis(200));
        }

        public Retry withCallBudget(Duration budget) {
            return new Retry(budget, initialBackoff, maxBackoff, rateLimitBackoff);
        }

        private static void positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
        }
    }
}
