package dev.siyu.functions.wecomcallback;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.wecom.CallbackEncryptor;
import dev.siyu.wecom.EncryptedCallback;
import dev.siyu.wecom.WeComSettings;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Builds signed, encrypted callbacks the way WeCom sends them and invokes the function with them. */
final class Callbacks {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final CallbackEncryptor encryptor;
    private final AtomicLong nonce = new AtomicLong(1000);

    Callbacks(WeComSettings settings) {
        this.encryptor = new CallbackEncryptor(settings);
    }

    /** An HTTP API (payload 2.0) POST event carrying the plaintext XML, encrypted and signed. */
    ObjectNode post(String plaintextXml) {
        EncryptedCallback c = encryptor.encrypt(plaintextXml, Long.toString(System.currentTimeMillis() / 1000),
                Long.toString(nonce.incrementAndGet()));
        return event("POST", c.query(), c.body());
    }

    static ObjectNode event(String method, Map<String, String> query, String body) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "2.0");
        e.put("routeKey", method + " /wecom/callback");
        e.put("rawPath", "/wecom/callback");
        e.set("queryStringParameters", JSON.valueToTree(query));
        e.set("headers", JSON.valueToTree(Map.of("content-type", "text/xml")));
        e.putObject("requestContext").putObject("http").put("method", method).put("path", "/wecom/callback");
        if (body != null) {
            e.put("body", body);
        }
        e.put("isBase64Encoded", false);
        return e;
    }

    static ObjectNode sample(String name) {
        try {
            return (ObjectNode) JSON.readTree(Files.readString(LocalStack.ROOT.resolve("events").resolve(name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Invokes the function through Quarkus' mock Lambda event server; returns the APIGatewayV2HTTPResponse. */
    static JsonNode invoke(JsonNode event) {
        String response = given().contentType(ContentType.JSON).body(event.toString())
                .post("http://localhost:8081/_lambda_").then().statusCode(200).extract().asString();
        try {
            return JSON.readTree(response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
