package dev.siyu.core.config;

import dev.siyu.core.staff.CorpDirectory;
import dev.siyu.core.staff.CorpDirectory.Standing;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The blueprint's staff against WeCom's directory, each problem at the line of the member's {@code user_id}:
 * a userid the directory does not have, or a member WeCom reports disabled or gone, is an error ({@code ./siyu
 * apply} refuses the blueprint: pools must name people who can take customers); a member invited but not
 * activated yet is a warning. Run on a blueprint {@link ConfigLoader} accepted, so its YAML parses.
 */
public final class StaffDirectoryCheck {

    /** @param errors what stops an apply; warnings what the operator should know */
    public record Result(List<ConfigProblem> errors, List<ConfigProblem> warnings) {
        public Result {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
        }
    }

    private StaffDirectoryCheck() {
    }

    public static Result check(String yamlText, String source, CorpDirectory directory) {
        List<ConfigProblem> errors = new ArrayList<>();
        List<ConfigProblem> warnings = new ArrayList<>();
        Node root = new Yaml(new LoaderOptions()).compose(new StringReader(yamlText));
        Node staff = root instanceof MappingNode m ? value(m, "staff") : null;
        if (!(staff instanceof SequenceNode items)) {
            return new Result(errors, warnings);
        }
        for (int i = 0; i < items.getValue().size(); i++) {
            Node item = items.getValue().get(i);
            Node id = item instanceof MappingNode m ? value(m, "user_id") : null;
            if (!(id instanceof ScalarNode scalar)) {
                continue;
            }
            String userId = scalar.getValue();
            Where where = Where.of("staff[" + i + "].user_id", id);
            Standing standing = directory.standing(userId);
            String message = message(userId, standing, directory);
            if (message == null) {
                continue;
            }
            ConfigProblem p = new ConfigProblem(source, where.path(), where.line(), where.column(), message);
            (standing == Standing.NOT_ACTIVATED ? warnings : errors).add(p);
        }
        return new Result(errors, warnings);
    }

    private static String message(String userId, Standing standing, CorpDirectory directory) {
        switch (standing) {
            case NOT_IN_DIRECTORY: {
                String m = "unknown userid '" + userId + "': WeCom's directory has no such member ("
                        + directory.listed().size() + " members listed by user/list_id)";
                return Suggestions.closest(userId, directory.listed().keySet())
                        .map(c -> m + "; did you mean '" + c + "'?").orElse(m);
            }
            case DISABLED:
                return "'" + userId + "' is disabled in WeCom's directory (user/get status 2): remove them from staff;"
                        + " the staff-directory job marks them for offboarding";
            case LEFT:
                return "'" + userId + "' has left the company (user/get status 5): remove them from staff;"
                        + " the staff-directory job marks them for offboarding";
            case NOT_ACTIVATED:
                return "'" + userId + "' has not activated WeCom yet (user/get status 4): WeCom gives them no"
                        + " customers until they do";
            default:
                return null;
        }
    }

    private static Node value(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }
}
