package dev.siyu.embedded;

/** Shutting the local stack down part by part: one part failing to close must not keep the rest open. */
public final class Closeables {
    private Closeables() {
    }

    /** Closes the parts in order, skipping nulls, logging (not throwing) what fails. */
    public static void closeAll(AutoCloseable... parts) {
        for (AutoCloseable c : parts) {
            if (c == null) {
                continue;
            }
            try {
                c.close();
            } catch (Exception e) {
                System.getLogger(Closeables.class.getName()).log(System.Logger.Level.WARNING, dev.siyu.core.log.JsonLog.line("close failed", "part", String.valueOf(c), "error", e.toString()), e);
            }
        }
    }
}
