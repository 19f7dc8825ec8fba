package dev.siyu.core.engine;

import java.util.List;

/** The event named no job, or one this scheduler does not have; retrying cannot help, the rule's Input is wrong. */
public final class UnknownJobException extends IllegalArgumentException {
    public UnknownJobException(String job, List<String> valid) {
        super((job == null || job.isBlank() ? "the event names no job (expected {\"job\": \"...\"})"
                : "unknown job '" + job + "'") + "; valid jobs: " + String.join(", ", valid));
    }
}
