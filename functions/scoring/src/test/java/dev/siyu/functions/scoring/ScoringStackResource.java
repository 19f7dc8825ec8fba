package dev.siyu.functions.scoring;

import dev.siyu.testkit.StackResource;
import java.util.Map;

/** One stack for every test of the module: Quarkus starts the function once. */
public class ScoringStackResource extends StackResource<ScoringStack> {
    @Override
    protected ScoringStack open() {
        return ScoringStack.start();
    }

    @Override
    protected Map<String, String> functionConfig(ScoringStack stack) {
        return stack.functionConfig();
    }
}
