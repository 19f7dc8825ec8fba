package dev.siyu.memory.faults;

/**
 * The process died in the middle of a port call (a Lambda instance killed by its timeout, out of memory,
 * a host failure): nothing after this point runs, no catch block compensates. An {@link Error}, so
 * the engine's {@code catch (RuntimeException e)} does not see it, as it would not see a real crash.
 * Only the simulation catches it, to throw the instance away and redeliver its work.
 */
public final class InstanceCrash extends Error {
    public InstanceCrash(String where) {
        super("instance crashed " + where, null, false, false);
    }
}
