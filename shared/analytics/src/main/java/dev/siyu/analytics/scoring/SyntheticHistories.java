package dev.siyu.analytics.scoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Customers who buy as a Poisson process until they silently drop out, and interact less when they have: the
 * scoring benches' and tests' population (about 30 happenings each).
 */
public final class SyntheticHistories {
    private SyntheticHistories() {
    }

    public static List<CustomerHistory> draw(int customers, Instant now, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<CustomerHistory> out = new ArrayList<>(customers);
        for (int c = 0; c < customers; c++) {
            double tenureDays = 60 + rnd.nextDouble() * 300;
            Instant added = now.minus(Duration.ofSeconds((long) (tenureDays * 86_400)));
            double lifetime = -Math.log(1 - rnd.nextDouble()) * 200;
            double rate = 0.01 + rnd.nextDouble() * 0.06;
            List<Happening> h = new ArrayList<>();
            for (double d = 1; d < tenureDays; d++) {
                Instant at = added.plus(Duration.ofDays((long) d)).plusSeconds(3600);
                boolean alive = d < lifetime;
                if (alive && rnd.nextDouble() < rate) {
                    h.add(new Happening(Happening.Kind.PURCHASE, at, 50 + rnd.nextDouble() * 200));
                }
                if (rnd.nextDouble() < (alive ? 0.08 : 0.01)) {
                    h.add(Happening.of(Happening.Kind.MESSAGE_OPENED, at));
                }
                if (rnd.nextDouble() < (alive ? 0.05 : 0.005)) {
                    h.add(Happening.of(Happening.Kind.MOMENTS_INTERACTION, at));
                }
                if (rnd.nextDouble() < 0.01) {
                    h.add(Happening.of(rnd.nextBoolean() ? Happening.Kind.COUPON_USED : Happening.Kind.COUPON_IGNORED, at));
                }
            }
            if (lifetime < tenureDays && rnd.nextDouble() < 0.3) {
                h.add(Happening.of(Happening.Kind.GROUP_LEFT, added.plus(Duration.ofDays((long) lifetime))));
            }
            out.add(new CustomerHistory("c" + c, added, rnd.nextInt(3), h));
        }
        return out;
    }
}
