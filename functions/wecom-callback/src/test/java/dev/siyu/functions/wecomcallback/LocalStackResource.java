package dev.siyu.functions.wecomcallback;

import dev.siyu.testkit.StackResource;
import java.util.Map;

/** Starts {@link LocalStack} before the function and hands it to fields annotated {@code @InjectStack}. */
public class LocalStackResource extends StackResource<LocalStack> {
    @Override
    protected LocalStack open() {
        return LocalStack.start();
    }

    @Override
    protected Map<String, String> functionConfig(LocalStack stack) {
        return stack.functionConfig();
    }
}
