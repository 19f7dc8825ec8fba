package dev.siyu.stack.wecom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** WeCom's reply envelope and request-field helpers, shared by the stub's state classes. */
final class StubReplies {

    static final int OK = 0;
    static final int INVALID_PARAMETER = 40058;

    private StubReplies() {
    }

    static ObjectNode ok() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("errcode", OK);
        n.put("errmsg", "ok");
        return n;
    }

    static ObjectNode error(int errcode, String errmsg) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("errcode", errcode);
        n.put("errmsg", errmsg);
        return n;
    }

    /** The texts of a JSON array; anything else (missing, null, a string) is an empty list. */
    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    static String text(JsonNode body, String field) {
        return body.path(field).asText("");
    }
}
