package dev.siyu.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A Quarkus test resource that starts a test stack before the function and stops it after, and
 * hands it to the test's fields annotated {@link InjectStack} whose type accepts it. A subclass says
 * how to start its stack and what the function reads from its environment; a test class that needs
 * a stack of its own (fresh counters, fixed sample ids) names an empty subclass, because Quarkus
 * restarts the application for a different resource.
 */
public abstract class StackResource<S extends AutoCloseable> implements QuarkusTestResourceLifecycleManager {
    private S stack;

    /** Starts the stack; called once per application start. */
    protected abstract S open();

    /** The function's configuration for this stack (what template.yaml sets as environment in Lambda). */
    protected abstract Map<String, String> functionConfig(S stack);

    @Override
    public final Map<String, String> start() {
        stack = open();
        return functionConfig(stack);
    }

    @Override
    public final void inject(TestInjector injector) {
        injector.injectIntoFields(stack, new TestInjector.AnnotatedAndMatchesType(InjectStack.class, stack.getClass()));
    }

    @Override
    public final void stop() {
        if (stack != null) {
            try {
                stack.close();
            } catch (Exception e) {
                throw new IllegalStateException("the test stack did not stop cleanly", e);
            } finally {
                stack = null;
            }
        }
    }
}
