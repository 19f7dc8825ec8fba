package dev.siyu.stack.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Speaks to a running stub over HTTP with the JDK client, the way WxJava or a shell script would. */
final class StubHttp {

    private final WeComStub stub;
    private final String corpId;
    private final String secret;
    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    StubHttp(WeComStub stub, String corpId, String secret) {
        this.stub = stub;
        this.corpId = corpId;
        this.secret = secret;
    }

    String token() throws IOException, InterruptedException {
        return get("/cgi-bin/gettoken?corpid=" + corpId + "&corpsecret=" + secret).path("access_token").asText();
    }

    /** POSTs to /cgi-bin/{api} with a fresh token. */
    JsonNode call(String api, String body) throws IOException, InterruptedException {
        return post("/cgi-bin/" + api + "?access_token=" + token(), body);
    }

    JsonNode get(String pathAndQuery) throws IOException, InterruptedException {
        return json.readTree(send(HttpRequest.newBuilder(uri(pathAndQuery)).build()).body());
    }

    JsonNode post(String pathAndQuery, String body) throws IOException, InterruptedException {
        return json.readTree(postForResponse(pathAndQuery, body).body());
    }

    HttpResponse<String> postForResponse(String pathAndQuery, String body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(pathAndQuery))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private URI uri(String pathAndQuery) {
        return URI.create(stub.baseUrl() + pathAndQuery);
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
