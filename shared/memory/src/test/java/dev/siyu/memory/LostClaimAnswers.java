package dev.siyu.memory;

import dev.siyu.core.port.CustomerStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;

/**
 * A customer store whose claim writes lose their answer once each: the write takes effect and the same
 * request is sent again, as the AWS SDK does when a PutItem's response times out. Everything else passes.
 */
public final class LostClaimAnswers {
    private static final Set<String> CLAIMS = Set.of("claim", "claimLease");

    private LostClaimAnswers() {
    }

    public static CustomerStore over(CustomerStore store) {
        return (CustomerStore) Proxy.newProxyInstance(CustomerStore.class.getClassLoader(),
                new Class<?>[] {CustomerStore.class}, (proxy, method, args) -> {
                    Object answer = call(store, method, args);
                    // The first answer never reached the caller: it sees what the retried request found.
                    return CLAIMS.contains(method.getName()) ? call(store, method, args) : answer;
                });
    }

    private static Object call(CustomerStore store, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(store, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
