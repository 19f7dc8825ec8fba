package dev.siyu.memory;

import dev.siyu.core.port.WeComApi;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * {@link RecordingWeComApi} seen through one touch id: every call it records carries the id. A proxy, so
 * a WeCom call added to {@link WeComApi} later carries the id with no change here.
 */
final class Touching implements InvocationHandler {
    private final RecordingWeComApi api;
    private final String touchId;

    private Touching(RecordingWeComApi api, String touchId) {
        this.api = api;
        this.touchId = touchId;
    }

    static WeComApi view(RecordingWeComApi api, String touchId) {
        return (WeComApi) Proxy.newProxyInstance(WeComApi.class.getClassLoader(), new Class<?>[] {WeComApi.class},
                new Touching(api, touchId));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("touching") && args != null && args.length == 1) {
            return view(api, (String) args[0]);
        }
        if (method.getDeclaringClass() == Object.class) {
            return method.getName().equals("toString") ? "RecordingWeComApi touching " + touchId : method.invoke(this, args);
        }
        Object[] result = new Object[1];
        Throwable[] failure = new Throwable[1];
        api.as(touchId, () -> {
            try {
                result[0] = method.invoke(api, args);
            } catch (InvocationTargetException e) {
                failure[0] = e.getCause();
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
            return null;
        });
        if (failure[0] != null) {
            throw failure[0];
        }
        return result[0];
    }
}
