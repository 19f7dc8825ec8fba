package dev.siyu.core.log;

/**
 * One structured log line as JSON, without a JSON library: the function's log handler ships the
 * message as-is, so CloudWatch Logs Insights can filter on the fields.
 */
public final class JsonLog {
    private JsonLog() {
    }

    /**
     * line("reroute failed", "state", "livestream_qr", "errcode", 45009): msg first, then the pairs in
     * order; numbers, booleans and null are written bare, anything else as its string.
     */
    public static String line(String msg, Object... keyValues) {
        StringBuilder b = new StringBuilder(64).append("{\"msg\":");
        quote(b, msg);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            b.append(",");
            quote(b, String.valueOf(keyValues[i]));
            b.append(':');
            Object v = keyValues[i + 1];
            if (v == null || v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else {
                quote(b, String.valueOf(v));
            }
        }
        return b.append('}').toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
