package dev.siyu.core.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The problems of one load; a fresh instance per load keeps the loader itself stateless. */
final class ProblemLog {
    private final String source;
    private final List<ConfigProblem> problems = new ArrayList<>();

    ProblemLog(String source) {
        this.source = source;
    }

    void add(Where where, String message) {
        problems.add(new ConfigProblem(source, where.path(), where.line(), where.column(), message));
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    /** In file order, as an operator reads them; the sort is stable, so one spot's problems keep their order. */
    List<ConfigProblem> inFileOrder() {
        return problems.stream()
                .sorted(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column))
                .toList();
    }
}
