package dev.siyu.functions.journeyworker;

import dev.siyu.testkit.StackResource;
import java.util.Map;

/** One stack for every test of the module: Quarkus starts the function once. */
public class WorkerStackResource extends StackResource<WorkerStack> {
    @Override
    protected WorkerStack open() {
        return WorkerStack.start();
    }

    @Override
    protected Map<String, String> functionConfig(WorkerStack stack) {
        return stack.functionConfig();
    }
}
