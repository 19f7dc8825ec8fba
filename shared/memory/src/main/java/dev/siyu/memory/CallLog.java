package dev.siyu.memory;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** Where outbound WeCom calls are seen: the stub's record on the local stack, or the recording API in memory. */
public interface CallLog {
    /**
     * One outbound call as WeCom would receive it: api is the path after /cgi-bin/, body its JSON.
     *
     * @param touchId the touch id the call carried (the X-Siyu-Touch-Id header), null when it carried none
     * @param errcode what WeCom answered: 0, or the error the call failed with
     */
    record Call(Instant at, String api, JsonNode body, String touchId, int errcode) {
        /** A call WeCom accepted that carried no touch id. */
        public Call(Instant at, String api, JsonNode body) {
            this(at, api, body, null, 0);
        }

        public boolean succeeded() {
            return errcode == 0;
        }
    }

    /**
     * WeCom gave this welcome_code in an add_external_contact event at this time: it may be used once within
     * 20 seconds (the rules WeCom's side of the log enforces).
     */
    default void welcomeCodeIssued(String welcomeCode, Instant at) {
    }

    /** Calls made since the last drain, oldest first. */
    java.util.List<Call> drain();
}
