package dev.siyu.core.engine;

/** One scheduled job, built by the engine; returns what it did (a summary record of the job's own). */
@FunctionalInterface
public interface ScheduledJob {
    Object run();
}
