package dev.siyu.functions.scheduler;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The scheduler's input. A rule's Input is {@code {"job": "sweep-timers"}}; an EventBridge
 * ScheduledEvent (a rule without Input, or {@code sam local generate-event}) is tolerated when its
 * {@code detail} carries the job. {@code detail-type} is spelled out because Jackson would not map
 * it to a Java name (unknown properties are ignored, so it would be silently dropped). An operator
 * action carries its input beside the job: {@code {"job": "mass_send", "input": {...}}}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobRequest(@JsonProperty("job") String job, @JsonProperty("detail") Map<String, Object> detail,
                         @JsonProperty("detail-type") String detailType, @JsonProperty("source") String source,
                         @JsonProperty("input") Map<String, Object> input) {

    /** The job named at the top level, else in the ScheduledEvent's detail; null when neither has one. */
    public String jobName() {
        if (job != null && !job.isBlank()) {
            return job;
        }
        Object nested = detail == null ? null : detail.get("job");
        return nested == null ? null : String.valueOf(nested);
    }

    /** An operator action's input (mass_send, transfer_customers), at the top level or in the detail; else empty. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> jobInput() {
        if (input != null) {
            return input;
        }
        Object nested = detail == null ? null : detail.get("input");
        return nested instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
