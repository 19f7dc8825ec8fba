package dev.siyu.functions.wecomcallback;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

/** Starts {@link LocalStack} before the function and hands it to fields annotated {@link Inject}. */
public class LocalStackResource implements QuarkusTestResourceLifecycleManager {
    private LocalStack stack;

    @Override
    public Map<String, String> start() {
        stack = LocalStack.start();
        return stack.functionConfig();
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(stack, new TestInjector.AnnotatedAndMatchesType(Inject.class, LocalStack.class));
    }

    @Override
    public void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Inject {
    }
}
