package dev.siyu.functions.scheduler;

import dev.siyu.testkit.JobStack;
import dev.siyu.testkit.LocalServices;

/** The scheduler's stack in tests: {@link JobStack} on the table {@value #TABLE}. */
public final class SchedulerStack extends JobStack {
    static final String TABLE = "siyu-scheduler-test";

    private SchedulerStack(LocalServices services) {
        super(services, "scheduler");
    }

    static SchedulerStack start() {
        LocalServices services = LocalServices.start();
        try {
            return new SchedulerStack(services);
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }
}
