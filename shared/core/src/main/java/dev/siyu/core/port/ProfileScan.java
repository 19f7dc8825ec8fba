package dev.siyu.core.port;

import dev.siyu.core.profile.CustomerProfile;
import java.util.function.Consumer;

/**
 * Every profile of a tenant, for the scheduled jobs (rules, stages, condition triggers). Never used on a
 * request path: it reads the whole tenant. It reads profiles only (in DynamoDB a sparse index of them),
 * never timelines, claims or touch records. A profile merged into another ({@link CustomerProfile#mergedInto()})
 * is no customer of its own and is never handed out: the jobs see the survivor alone.
 */
public interface ProfileScan {
    void forEach(String tenant, Consumer<CustomerProfile> action);

    /**
     * One job's resumable pass over the tenant's profiles, named by the caller (the job and its day, e.g.
     * {@code daily-rules#2026-11-05}): a store with checkpoints remembers how far the pass got and the next
     * call with the same name goes on from there, skipping what is done; a call after the pass completed
     * starts it over (the jobs are safe to run again). The store stops early when its time budget for one call runs out (a scheduled job
     * has 300 s), returning an incomplete pass instead of being killed mid-page.
     *
     * <p>The default has no checkpoints: every call reads everything (the in-memory store, whose jobs
     * never run long).
     */
    default Pass pass(String tenant, String pass, Consumer<CustomerProfile> action) {
        int[] read = {0};
        forEach(tenant, p -> {
            read[0]++;
            action.accept(p);
        });
        return new Pass(pass, true, read[0]);
    }

    /**
     * @param complete every profile has been handed to the pass, in this call or an earlier one
     * @param profiles profiles handed to the action in this call
     */
    record Pass(String name, boolean complete, int profiles) {
        /** Throws {@link Incomplete} unless complete: the scheduler's retry then continues the pass. */
        public Pass requireComplete() {
            if (!complete) {
                throw new Incomplete(this);
            }
            return this;
        }
    }

    /**
     * A job stopped before its invocation's deadline with its pass unfinished; its checkpoint is saved. It
     * fails the invocation on purpose, so Lambda's asynchronous retry (twice, a minute or two apart) runs it
     * again and the pass continues where it stopped (docs/operations.md, Scheduled jobs).
     */
    final class Incomplete extends RuntimeException {
        public Incomplete(Pass pass) {
            super("pass " + pass.name() + " stopped before the invocation's deadline after " + pass.profiles()
                    + " profile(s); its checkpoint is saved and the next invocation continues it");
        }
    }
}
