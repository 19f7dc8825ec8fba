package dev.siyu.core.journey;

/**
 * A step another delivery is working on right now (its lease is unexpired), or whose cap slot another
 * sender just took: not a failure of this delivery, which throws so the queue hands the step over again later
 * instead of acknowledging it.
 */
public final class StepBusy extends RuntimeException {
    public StepBusy(String message) {
        super(message);
    }
}
