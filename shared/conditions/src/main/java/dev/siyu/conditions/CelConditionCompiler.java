package dev.siyu.conditions;

import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.siyu.core.condition.Condition;
import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.condition.ConditionException;
import java.util.List;
import java.util.Objects;

/**
 * Conditions as CEL (docs/configuration.md, Conditions): {@code customer} and {@code run} are maps of string to dyn,
 * {@code event} a map of string to string, {@code now} a timestamp; the result must be bool. The
 * standard macros are on, so {@code has()}, {@code exists()} and {@code all()} work.
 *
 * <p>Numbers compare across int and double ({@code customer.total_spend > 2000} works as operators
 * expect), and a comprehension may run at most {@link #MAX_COMPREHENSION_ITERATIONS} iterations so
 * no condition can stall a rules job.
 *
 * <p>Compiled conditions are cached per expression text in this instance (no static state: each
 * compiler owns its cache), so the journey engine can compile on every use.
 */
public final class CelConditionCompiler implements ConditionCompiler {
    public static final int DEFAULT_CACHE_SIZE = 1_000;
    public static final int MAX_COMPREHENSION_ITERATIONS = 10_000;
    static final List<String> VARIABLES = List.of("customer", "run", "event", "now");

    private final CelCompiler compiler;
    private final CelRuntime runtime;
    private final BoundedCache<String, Condition> cache;

    public CelConditionCompiler() {
        this(DEFAULT_CACHE_SIZE);
    }

    /** @param cacheSize how many compiled expressions to keep, least recently used dropped first */
    public CelConditionCompiler(int cacheSize) {
        this.cache = new BoundedCache<>(cacheSize);
        CelOptions options = CelOptions.current()
                .enableHeterogeneousNumericComparisons(true)
                .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
                .build();
        try {
            this.compiler = CelCompilerFactory.standardCelCompilerBuilder()
                    .setOptions(options)
                    .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                    .addVar("customer", MapType.create(SimpleType.STRING, SimpleType.DYN))
                    .addVar("run", MapType.create(SimpleType.STRING, SimpleType.DYN))
                    .addVar("event", MapType.create(SimpleType.STRING, SimpleType.STRING))
                    .addVar("now", SimpleType.TIMESTAMP)
                    .setResultType(SimpleType.BOOL)
                    .build();
            this.runtime = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(options).build();
        } catch (LinkageError e) {
            // the usual cause: a BOM pinned protobuf-java below CEL's generated code (see this module's pom)
            throw new IllegalStateException("CEL cannot load; is protobuf-java older than 4.35.1 on the classpath?"
                    + " Manage protobuf-java 4.35.1 and guava 33.6.0-jre in the module using siyu-conditions", e);
        }
    }

    @Override
    public Condition compile(String expression) {
        Objects.requireNonNull(expression, "expression");
        return cache.get(expression, this::build);
    }

    /** How many compiled expressions are cached now (for tests and metrics). */
    public int cachedCount() {
        return cache.size();
    }

    private Condition build(String expression) {
        if (expression.isBlank()) {
            throw new ConditionException("the condition is empty", 1);
        }
        CelValidationResult result = compiler.compile(expression);
        if (result.hasError()) {
            throw compileFailed(result.getErrors());
        }
        try {
            return new CelCondition(expression, runtime.createProgram(result.getAst()));
        } catch (CelValidationException | CelEvaluationException e) {
            throw new ConditionException("cannot plan condition: " + e.getMessage(), 0);
        }
    }

    /** The first mistake with its 1-based column (CEL counts from 0), any further ones appended. */
    private static ConditionException compileFailed(List<CelIssue> issues) {
        CelIssue first = issues.get(0);
        StringBuilder message = new StringBuilder(describe(first));
        if (first.getSourceLocation().getLine() > 1) {
            message.append(" (line ").append(first.getSourceLocation().getLine()).append(" of the condition)");
        }
        for (CelIssue more : issues.subList(1, issues.size())) {
            message.append("; at column ").append(more.getSourceLocation().getColumn() + 1).append(": ")
                    .append(describe(more));
        }
        int column = first.getSourceLocation().getColumn();
        return new ConditionException(message.toString(), column < 0 ? 0 : column + 1);
    }

    private static String describe(CelIssue issue) {
        String message = issue.getMessage().replace(" (in container '')", "");
        if (message.startsWith("undeclared reference to '")) {
            message += " (the variables are " + String.join(", ", VARIABLES) + ")";
        }
        return message;
    }
}
