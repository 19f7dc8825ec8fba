package dev.siyu.analytics.ltv;

/**
 * A customer's expected purchases month by month over a horizon and their discounted sum, the CLV's purchase
 * part: eq. (10) of the BG/NBD paper at each month's end, differenced and discounted. The paper's definition
 * holds exactly (an identity of 2F1 is used, no approximation; {@code MonthlyHorizonTest} compares with twelve
 * evaluations of eq. (10) to 1e-9); what is saved is work: the twelve month ends have the same 2F1 parameters and
 * differ only in z, so one pass computes each series coefficient once and advances every month's term with it,
 * and the parts of eq. (10) that do not depend on the month (the head, the denominator and its power) are
 * computed once.
 */
public final class MonthlyHorizon {
    private static final int MAX_TERMS = 1_000_000;

    private final double[] ends;
    private final double[] discount;

    /** {@code monthLength} in the fit's unit; {@code monthlyDiscount} e.g. 0.01 for 1% a month. */
    public MonthlyHorizon(int months, double monthLength, double monthlyDiscount) {
        if (months < 1) {
            throw new IllegalArgumentException("a horizon needs at least one month: " + months);
        }
        ends = new double[months];
        discount = new double[months];
        for (int i = 1; i <= months; i++) {
            ends[i - 1] = i * monthLength;
            discount[i - 1] = Math.pow(1 + monthlyDiscount, i);
        }
    }

    public int months() {
        return ends.length;
    }

    /** Scratch arrays for one thread: a batch takes one and reuses it for every customer. */
    public Workspace workspace() {
        return new Workspace(ends.length);
    }

    /** What {@link #discountedPurchases} leaves beside its result. */
    public static final class Workspace {
        private final double[] z;
        private final double[] term;
        private final double[] sum;
        private final boolean[] done;
        private double horizonPurchases;

        private Workspace(int months) {
            z = new double[months];
            term = new double[months];
            sum = new double[months];
            done = new boolean[months];
        }

        /** Eq. (10) at the horizon's end: expected purchases over the whole horizon, undiscounted. */
        public double horizonPurchases() {
            return horizonPurchases;
        }
    }

    /**
     * The sum over months i of (E[purchases in (T, T + i months]] - E[purchases in (T, T + (i - 1) months]])
     * / (1 + d)^i for a customer with summary (x, tx, T); the horizon's undiscounted total goes to
     * {@link Workspace#horizonPurchases()}.
     */
    public double discountedPurchases(BgNbd m, int x, double tx, double age, Workspace w) {
        int n = ends.length;
        double r = m.r();
        double alpha = m.alpha();
        double a = m.a();
        double b = m.b();
        // Either the series of eq. (10) as written, 2F1(A, B; C; z) with A = r + x, B = b + x, C = a + b + x - 1, or
        // its Euler transformation (1 - z)^(C - A - B) 2F1(C - A, C - B; C; z), whichever climbs less before it falls
        // (the first term ratio A B / C against (C - A)(C - B) / C): C - A = a + b - 1 - r and C - B = a - 1 do not
        // grow with x, so a frequent buyer's series falls off at once instead of climbing for about x z / (1 - z)
        // terms; but a fit with a and b in the millions (almost nobody drops out) is the other way round. With
        // Euler's form the power in eq. (10) becomes (1 - z)^(r + x) (1 - z)^(C - A - B) = (1 - z)^(a - 1).
        double fc = a + b + x - 1;
        boolean euler = Math.abs((a + b - 1 - r) * (a - 1)) < Math.abs((r + x) * (b + x));
        double fa = euler ? a + b - 1 - r : r + x;
        double fb = euler ? a - 1 : b + x;
        double power = euler ? a - 1 : r + x;
        int open = 0;
        for (int i = 0; i < n; i++) {
            double z = ends[i] / (alpha + age + ends[i]);
            if (z < 0 || z >= 1) {
                throw new IllegalArgumentException("2F1 series needs 0 <= z < 1, got " + z);
            }
            w.z[i] = z;
            w.term[i] = 1;
            w.sum[i] = 1;
            w.done[i] = false;
            open++;
        }
        for (int j = 0; j < MAX_TERMS && open > 0; j++) {
            double ratio = (fa + j) * (fb + j) / ((fc + j) * (j + 1));
            for (int i = 0; i < n; i++) {
                if (w.done[i]) {
                    continue;
                }
                w.term[i] *= ratio * w.z[i];
                w.sum[i] += w.term[i];
                if (Math.abs(w.term[i]) <= 1e-14 * Math.abs(w.sum[i])) {
                    w.done[i] = true;
                    open--;
                }
            }
        }
        double head = (a + b + x - 1) / (a - 1);
        double denominator = 1 + (x > 0 ? a / (b + x - 1) * Math.pow((alpha + age) / (alpha + tx), r + x) : 0);
        double total = 0;
        double before = 0;
        for (int i = 0; i < n; i++) {
            double tail = 1 - Math.pow((alpha + age) / (alpha + age + ends[i]), power) * w.sum[i];
            double upTo = head * tail / denominator;
            total += (upTo - before) / discount[i];
            before = upTo;
        }
        w.horizonPurchases = before;
        return total;
    }
}
