package dev.siyu.functions.scheduler;

import dev.siyu.testkit.StackResource;
import java.util.Map;

/** One stack for every test of the module: Quarkus starts the function once. */
public class SchedulerStackResource extends StackResource<SchedulerStack> {
    @Override
    protected SchedulerStack open() {
        return SchedulerStack.start();
    }

    @Override
    protected Map<String, String> functionConfig(SchedulerStack stack) {
        return stack.functionConfig();
    }
}
