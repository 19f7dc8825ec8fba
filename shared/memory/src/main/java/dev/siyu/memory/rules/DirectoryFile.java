package dev.siyu.memory.rules;

import dev.siyu.core.port.WeComApi.Department;
import dev.siyu.core.port.WeComApi.Member;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * A local corp directory written as YAML (config/local-directory.yaml): what the local stub and the in-memory API
 * answer department/list, user/list_id and user/get from. It is its own file, not derived from the blueprint, so
 * checking a blueprint's staff against it means something.
 *
 * <pre>
 * departments:
 *   - {id: 2, name: East sales, parent: 1}
 * members:
 *   - {userid: zhangsan, name: Zhang San, departments: [2], status: 1}
 * </pre>
 * status as user/get answers it (1 activated, 2 disabled, 4 not activated, 5 left), 1 when left out.
 */
public final class DirectoryFile {
    private DirectoryFile() {
    }

    /** Adds the file's departments and members to the directory. */
    public static void load(Path file, DirectoryRules into) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object root = new Yaml(new LoaderOptions()).load(r);
            if (!(root instanceof Map<?, ?> top)) {
                throw new IllegalArgumentException(file + ": expected departments and members");
            }
            for (Map<?, ?> d : maps(top.get("departments"))) {
                into.department(new Department(number(d.get("id")), String.valueOf(d.get("name")),
                        d.containsKey("parent") ? number(d.get("parent")) : 1));
            }
            for (Map<?, ?> m : maps(top.get("members"))) {
                List<Long> departments = new ArrayList<>();
                if (m.get("departments") instanceof List<?> ds) {
                    ds.forEach(x -> departments.add(number(x)));
                }
                if (departments.isEmpty()) {
                    departments.add(1L);
                }
                into.member(new Member(String.valueOf(m.get("userid")), String.valueOf(m.get("name")), departments,
                        m.containsKey("status") ? (int) number(m.get("status")) : Member.ACTIVE));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the local directory " + file, e);
        }
    }

    private static List<Map<?, ?>> maps(Object o) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (o instanceof List<?> list) {
            for (Object x : list) {
                if (x instanceof Map<?, ?> m) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(o));
    }
}
