package dev.siyu.wecom;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.siyu.core.event.WeComEvent;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * Writes events/wecom-callback-*.json: API Gateway HTTP API (payload 2.0) requests as WeCom would
 * send them to the wecom-callback function, encrypted with the config/local.env corp, token and
 * key. Everything is fixed (times, nonces, the cipher's random prefix), so a rerun changes
 * nothing unless the inputs do. Run: {@code -Dsiyu.events.regenerate=true} on the build, or main().
 */
public final class SampleEventsGenerator {

    static final String ROUTE = "/wecom/callback";
    /** 2025-06-01 08:00:00 Asia/Shanghai; each sample is a minute after the previous. */
    static final Instant BASE = Instant.parse("2025-06-01T00:00:00Z");
    static final String EAST_CUSTOMER = "wmEAST00000000000000000001";
    static final String LIVE_CUSTOMER = "wmLIVE00000000000000000002";
    static final String STORE_CUSTOMER = "wmSTORE0000000000000000003";
    static final String HALF_CUSTOMER = "wmHALF00000000000000000004";
    static final String CHAT = "wrSIYU000000000000000000001";

    private final WeComSettings settings;

    public SampleEventsGenerator(WeComSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : LocalEnv.repoRoot().resolve("events");
        Files.createDirectories(dir);
        for (Map.Entry<String, String> file : new SampleEventsGenerator(LocalEnv.settings()).files().entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue(), StandardCharsets.UTF_8);
        }
    }

    /** The samples and the event each one must parse to (null for the URL check). */
    Map<String, WeComEvent> expectedEvents() {
        Map<String, WeComEvent> e = new LinkedHashMap<>();
        e.put("wecom-callback-verify-url.json", null);
        e.put("wecom-callback-add-external-contact.json", new WeComEvent.ContactAdded("zhangsan", EAST_CUSTOMER,
                "parcel_card_east", "WELCOMECODE-parcel-east-0001", false, at(1)));
        e.put("wecom-callback-add-external-contact-livestream.json", new WeComEvent.ContactAdded("wangwu", LIVE_CUSTOMER,
                "livestream_qr", "WELCOMECODE-livestream-0002", false, at(2)));
        e.put("wecom-callback-add-external-contact-in-store.json", new WeComEvent.ContactAdded("zhouba", STORE_CUSTOMER,
                "in_store.sh01", "WELCOMECODE-in-store-0003", false, at(3)));
        e.put("wecom-callback-add-half-external-contact.json", new WeComEvent.ContactAdded("zhangsan", HALF_CUSTOMER,
                "parcel_card_east", null, true, at(4)));
        e.put("wecom-callback-edit-external-contact.json", new WeComEvent.ContactEdited("zhangsan", EAST_CUSTOMER, at(5)));
        e.put("wecom-callback-del-external-contact.json", new WeComEvent.ContactDeleted("zhouba", STORE_CUSTOMER,
                "DELETE_BY_TRANSFER", at(6)));
        e.put("wecom-callback-del-follow-user.json", new WeComEvent.FollowUserDeleted("wangwu", LIVE_CUSTOMER, at(7)));
        e.put("wecom-callback-transfer-fail.json", new WeComEvent.TransferFailed("zhouba", STORE_CUSTOMER,
                "customer_refused", at(8)));
        e.put("wecom-callback-chat-create.json", new WeComEvent.ChatCreated(CHAT, at(9)));
        e.put("wecom-callback-chat-update-add-member.json", new WeComEvent.ChatUpdated(CHAT, "add_member", 3, 0, 2,
                List.of(EAST_CUSTOMER, LIVE_CUSTOMER), at(10)));
        e.put("wecom-callback-chat-update-del-member.json", new WeComEvent.ChatUpdated(CHAT, "del_member", 0, 0, 1,
                List.of(LIVE_CUSTOMER), at(11)));
        e.put("wecom-callback-chat-dismiss.json", new WeComEvent.ChatDismissed(CHAT, at(12)));
        e.put("wecom-callback-tag-change.json", new WeComEvent.TagChanged("etSIYUtag000000000000000001", "tag", "create",
                null, at(13)));
        e.put("wecom-callback-unknown-event.json", new WeComEvent.Unhandled("change_contact", "update_user", "sys", at(14)));
        return e;
    }

    /** The echo WeCom asks us to decrypt in wecom-callback-verify-url.json. */
    static final String ECHO = "5927782489442352469";

    /** File name -> file content, in a fixed order. */
    Map<String, String> files() {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, WeComEvent> e : expectedEvents().entrySet()) {
            String name = e.getKey();
            // The name, not the position, seeds the cipher, so a new sample leaves the others as they are.
            CallbackEncryptor encryptor = new CallbackEncryptor(settings, new Random(name.hashCode()));
            Instant sent = e.getValue() == null ? BASE : e.getValue().createdAt().plusSeconds(1);
            String timestamp = String.valueOf(sent.getEpochSecond());
            String nonce = String.valueOf(1_372_623_149L + 7919L * i++);
            Map<String, Object> event;
            if (e.getValue() == null) {
                UrlVerification check = encryptor.urlVerification(ECHO, timestamp, nonce);
                event = apiGatewayEvent("GET", check.query(), null, sent, name);
            } else {
                EncryptedCallback callback = encryptor.encrypt(CallbackXml.of(settings.corpId(), e.getValue()), timestamp, nonce);
                event = apiGatewayEvent("POST", callback.query(), callback.body(), sent, name);
            }
            out.put(name, render(event));
        }
        return out;
    }

    private static Instant at(int minute) {
        return BASE.plusSeconds(60L * minute);
    }

    private static Map<String, Object> apiGatewayEvent(String method, Map<String, String> query, String body,
                                                       Instant sent, String name) {
        String domain = "siyu0local.execute-api.ap-east-1.amazonaws.com";
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("accept", "*/*");
        if (body != null) {
            headers.put("content-length", String.valueOf(body.getBytes(StandardCharsets.UTF_8).length));
            headers.put("content-type", "text/xml");
        }
        headers.put("host", domain);
        headers.put("user-agent", "Mozilla/4.0");
        headers.put("x-forwarded-for", "203.0.113.10");
        headers.put("x-forwarded-port", "443");
        headers.put("x-forwarded-proto", "https");

        Map<String, Object> http = new LinkedHashMap<>();
        http.put("method", method);
        http.put("path", ROUTE);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", "203.0.113.10");
        http.put("userAgent", "Mozilla/4.0");

        String routeKey = method + " " + ROUTE;
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("accountId", "123456789012");
        context.put("apiId", "siyu0local");
        context.put("domainName", domain);
        context.put("domainPrefix", "siyu0local");
        context.put("http", http);
        context.put("requestId", "sample-" + name.replace("wecom-callback-", "").replace(".json", ""));
        context.put("routeKey", routeKey);
        context.put("stage", "$default");
        context.put("time", DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
                .format(sent.atOffset(ZoneOffset.UTC)));
        context.put("timeEpoch", sent.toEpochMilli());

        Map<String, Object> event = new LinkedHashMap<>();
        event.put("version", "2.0");
        event.put("routeKey", routeKey);
        event.put("rawPath", ROUTE);
        event.put("rawQueryString", query.entrySet().stream()
                .map(q -> q.getKey() + "=" + URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
        event.put("headers", headers);
        event.put("queryStringParameters", query);
        event.put("requestContext", context);
        if (body != null) {
            event.put("body", body);
        }
        event.put("isBase64Encoded", false);
        return event;
    }

    private static String render(Map<String, Object> event) {
        // Fixed "\n" and "key": value spacing, so the files are the same on every OS and read like AWS's samples.
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER));
        printer.indentObjectsWith(new DefaultIndenter("  ", "\n"));
        ObjectWriter writer = new ObjectMapper().writer(printer);
        try {
            return writer.writeValueAsString(event) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings always serialize", e);
        }
    }
}
