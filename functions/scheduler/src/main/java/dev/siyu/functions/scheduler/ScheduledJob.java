package dev.siyu.functions.scheduler;

/** One job of the scheduler; returns what it did (a summary record of the job's own). */
@FunctionalInterface
public interface ScheduledJob {
    Object run();
}
