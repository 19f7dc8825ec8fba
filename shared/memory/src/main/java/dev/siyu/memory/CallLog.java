package dev.siyu.memory;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** Where outbound WeCom calls are seen: the stub's record on the local stack, or the recording API in memory. */
public interface CallLog {
    /** One outbound call as WeCom would receive it: api is the path after /cgi-bin/, body its JSON. */
    record Call(Instant at, String api, JsonNode body) { }

    /** Calls made since the last drain, oldest first. */
    java.util.List<Call> drain();
}
