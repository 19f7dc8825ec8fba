package dev.siyu.analytics.churn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Row indices split so both parts keep the label's class balance; the same seed gives the same split. */
record StratifiedSplit(int[] train, int[] test) {

    static StratifiedSplit of(int[] rows, float[] labels, double testShare, long seed) {
        Random random = new Random(seed);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int cls = 0; cls <= 1; cls++) {
            List<Integer> members = new ArrayList<>();
            for (int r : rows) {
                if (labels[r] == cls) {
                    members.add(r);
                }
            }
            Collections.shuffle(members, random);
            int cut = (int) Math.round(members.size() * testShare);
            test.addAll(members.subList(0, cut));
            train.addAll(members.subList(cut, members.size()));
        }
        Collections.sort(train);
        Collections.sort(test);
        return new StratifiedSplit(train.stream().mapToInt(Integer::intValue).toArray(), test.stream().mapToInt(Integer::intValue).toArray());
    }
}
