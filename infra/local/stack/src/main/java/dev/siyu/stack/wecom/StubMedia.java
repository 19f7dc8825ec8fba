package dev.siyu.stack.wecom;

import static dev.siyu.stack.wecom.StubReplies.error;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code media/upload} and {@code media/uploadimg}: the file comes as multipart/form-data in the field
 * {@code media} (上传临时素材, https://developer.work.weixin.qq.com/document/path/90253; 上传图片,
 * https://developer.work.weixin.qq.com/document/path/90256). The stub keeps no bytes beyond the rules' checks:
 * what the rules remember is the id and when it was uploaded, which is what the later sends are checked by.
 */
final class StubMedia {
    /** WeCom's 不合法的参数 for a request that carries no file. */
    private static final int INVALID_PARAMETER = StubReplies.INVALID_PARAMETER;
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"?([^\";]+)\"?");
    private static final Pattern FIELD_NAME = Pattern.compile("name=\"([^\"]*)\"");
    private static final Pattern FILE_NAME = Pattern.compile("filename=\"([^\"]*)\"");

    private final StubState state;

    StubMedia(StubState state) {
        this.state = state;
    }

    /** The answer to a media call, or null when api is not one. */
    ObjectNode handle(String api, Map<String, String> query, String contentType, byte[] raw) {
        if (!api.equals("media/upload") && !api.equals("media/uploadimg")) {
            return null;
        }
        Part file = mediaPart(contentType, raw);
        if (file == null) {
            return error(INVALID_PARAMETER, "multipart/form-data with a media file is required");
        }
        if (api.equals("media/uploadimg")) {
            return state.uploadImg(file.fileName(), file.bytes());
        }
        return state.upload(query.get("type"), file.fileName(), file.bytes());
    }

    record Part(String fileName, byte[] bytes) {
    }

    /** The part named media, or null when the body is not multipart or has none. */
    static Part mediaPart(String contentType, byte[] raw) {
        if (contentType == null || !contentType.toLowerCase().startsWith("multipart/form-data")) {
            return null;
        }
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            return null;
        }
        byte[] delimiter = ("--" + m.group(1)).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(raw, delimiter, 0);
        while (at >= 0) {
            int headersStart = at + delimiter.length + 2;
            int headersEnd = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), headersStart);
            int next = indexOf(raw, delimiter, headersStart);
            if (headersEnd < 0 || next < 0) {
                return null;
            }
            String headers = new String(raw, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            Matcher name = FIELD_NAME.matcher(headers);
            if (name.find() && name.group(1).equals("media")) {
                Matcher file = FILE_NAME.matcher(headers);
                // The part's bytes end before the CRLF that precedes the next delimiter.
                byte[] bytes = Arrays.copyOfRange(raw, headersEnd + 4, Math.max(headersEnd + 4, next - 2));
                return new Part(file.find() ? file.group(1) : "media", bytes);
            }
            at = next;
        }
        return null;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
