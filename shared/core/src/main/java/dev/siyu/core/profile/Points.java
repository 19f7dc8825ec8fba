package dev.siyu.core.profile;

/**
 * Where a member stands in the membership: the points they can spend, the points they earned in all (what
 * the tier is reached by, so spending points never lowers a tier) and the tier. Kept on the profile, so the
 * ledger entry and the balance it leads to are written together (docs/data-model.md, Points ledger).
 *
 * @param tier the tier's name; null before the first entry
 */
public record Points(long balance, long earned, String tier) {
    public static final Points NONE = new Points(0, 0, null);

    public Points {
        if (balance < 0) {
            throw new IllegalArgumentException("a points balance is never negative: " + balance);
        }
    }
}
