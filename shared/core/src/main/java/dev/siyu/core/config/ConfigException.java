package dev.siyu.core.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config that failed validation; carries every problem found, so the operator fixes them in one pass. */
public class ConfigException extends RuntimeException {
    private final List<ConfigProblem> problems;

    public ConfigException(List<ConfigProblem> problems) {
        super(describe(problems));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    private static String describe(List<ConfigProblem> problems) {
        String count = problems.size() == 1 ? "1 problem" : problems.size() + " problems";
        return "invalid config, " + count + ":" + problems.stream().map(p -> "\n  " + p)
                .collect(Collectors.joining());
    }
}
