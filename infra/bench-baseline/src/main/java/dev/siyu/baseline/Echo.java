package dev.siyu.baseline;

import io.quarkus.funqy.Funq;
import java.util.Map;

/** The cold-start baseline: a Funqy function that does nothing but answer. */
public class Echo {
    @Funq
    public Map<String, Object> echo(Map<String, Object> event) {
        return Map.of("statusCode", 200, "body", "success");
    }
}
