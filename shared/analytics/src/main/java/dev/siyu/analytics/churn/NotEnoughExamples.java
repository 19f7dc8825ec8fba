package dev.siyu.analytics.churn;

/** Fewer than {@value ChurnTraining#MIN_PER_CLASS} rows of a class: a classifier trained on them would be noise. */
public final class NotEnoughExamples extends RuntimeException {
    private final int churned;
    private final int retained;

    NotEnoughExamples(int churned, int retained) {
        super("only " + churned + " churned and " + retained + " retained rows; a churn classifier needs at least "
                + ChurnTraining.MIN_PER_CLASS + " of each");
        this.churned = churned;
        this.retained = retained;
    }

    public int churned() {
        return churned;
    }

    public int retained() {
        return retained;
    }
}
