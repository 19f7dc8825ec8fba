package dev.siyu.memory.faults;

import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One port behind {@link Faults}: at each call, maybe one fault of a kind that fits the port and the
 * call. A call that only reads has no effect to fail after, so it gets the before-kinds only.
 */
final class FaultyPort implements InvocationHandler {
    /**
     * Method names that only read. Anything else is taken to change something, so a fault after its
     * effect is possible: a port method added later is treated as a write until named here.
     */
    private static final Set<String> READS = Set.of("profile", "timeline", "customerIdFor", "snapshot", "forEach",
            "run", "runs", "touches", "counts", "group", "groups", "members", "byState", "all", "current",
            "currentVersion", "version", "load", "openPairs", "due", "lastSwept", "earliest", "contact", "corpTags",
            "unassigned", "transferResult", "read", "groupChat", "groupMsgList", "groupMsgSendResult", "momentList",
            "pass", "repairs", "get");

    private final Faults faults;
    private final Faults.PortKind kind;
    private final Object target;

    FaultyPort(Faults faults, Faults.PortKind kind, Object target) {
        this.faults = faults;
        this.kind = kind;
        this.target = target;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return call(method, args);
        }
        if (kind == Faults.PortKind.WECOM && method.getName().equals("touching")) {
            // The view carrying a touch id is the same API: its calls fail the same way.
            return faults.wrap(WeComApi.class, call(method, args));
        }
        if (!faults.strikes()) {
            return call(method, args);
        }
        boolean write = !READS.contains(method.getName());
        List<String> kinds = new ArrayList<>();
        switch (kind) {
            case STORE -> {
                kinds.add(Faults.STORE_THROTTLE);
                if (write) {
                    kinds.add(Faults.STORE_ERROR_AFTER_WRITE);
                }
            }
            case QUEUE -> kinds.add(Faults.QUEUE_SEND_FAILED);
            case WECOM -> {
                kinds.add(Faults.WECOM_RATE_LIMIT);
                kinds.add(Faults.WECOM_BUSY);
                kinds.add(Faults.WECOM_5XX);
                if (write) {
                    kinds.add(Faults.WECOM_TIMEOUT_AFTER_EFFECT);
                }
            }
            default -> throw new IllegalStateException("unknown port kind " + kind);
        }
        // A crash is one fault in five wherever it strikes; the rest are the port's own kinds, evenly.
        String fault = faults.pick(Faults.CRASH_ONE_IN) == 0 ? Faults.CRASH : kinds.get(faults.pick(kinds.size()));
        faults.count(fault);
        String where = target.getClass().getSimpleName() + "." + method.getName();
        switch (fault) {
            case Faults.STORE_THROTTLE:
                throw new InjectedFault(fault, where + ": throttled (ProvisionedThroughputExceeded), not written");
            case Faults.STORE_ERROR_AFTER_WRITE:
                call(method, args);
                throw new InjectedFault(fault, where + ": the response was lost after the write took effect");
            case Faults.QUEUE_SEND_FAILED:
                throw new InjectedFault(fault, where + ": SQS refused the message");
            case Faults.WECOM_RATE_LIMIT:
                throw new WeComApiException(WeComApiException.RATE_LIMITED, where + ": api freq out of limit (injected)", null);
            case Faults.WECOM_BUSY:
                throw new WeComApiException(-1, where + ": system busy (injected)", null);
            case Faults.WECOM_5XX:
                throw new WeComApiException(-1, where + ": HTTP 502 (injected)", null);
            case Faults.WECOM_TIMEOUT_AFTER_EFFECT:
                call(method, args);
                throw new WeComApiException(-1, where + ": read timed out after WeCom took the call (injected)",
                        new SocketTimeoutException("Read timed out"));
            case Faults.CRASH:
                if (faults.pick(2) == 0) {
                    throw new InstanceCrash("before " + where);
                }
                call(method, args);
                throw new InstanceCrash("after " + where);
            default:
                throw new IllegalStateException("unknown fault " + fault);
        }
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
