package dev.siyu.core.gate;

import java.time.Instant;
import java.util.Objects;

/**
 * What the gate says about one touch. A record with a kind rather than a sealed hierarchy so callers
 * on Java 17 can branch with a plain switch. rule is null only for ALLOW; until is set only for DEFER.
 */
public record Decision(Kind kind, Rule rule, Instant until, String reason) {

    public enum Kind {
        ALLOW,
        /** Ask again at until; nothing is sent now. */
        DEFER,
        /** Never send this touch. */
        DROP,
        /**
         * The step needs a person: the caller creates a staff task or an add_msg_template draft that the
         * staff member confirms. The gate only says so; it sends nothing.
         */
        CONVERT_TO_HUMAN
    }

    public Decision {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        if ((kind == Kind.ALLOW) != (rule == null)) {
            throw new IllegalArgumentException(kind + " " + (rule == null ? "needs a rule" : "has no rule"));
        }
        if ((kind == Kind.DEFER) != (until != null)) {
            throw new IllegalArgumentException(kind + " " + (until == null ? "needs an until instant" : "has no until"));
        }
    }

    public static Decision allow(String reason) {
        return new Decision(Kind.ALLOW, null, null, reason);
    }

    public static Decision defer(Instant until, Rule rule, String reason) {
        return new Decision(Kind.DEFER, Objects.requireNonNull(rule, "rule"), Objects.requireNonNull(until, "until"),
                reason);
    }

    public static Decision drop(Rule rule, String reason) {
        return new Decision(Kind.DROP, Objects.requireNonNull(rule, "rule"), null, reason);
    }

    public static Decision convertToHuman(String reason) {
        return new Decision(Kind.CONVERT_TO_HUMAN, Rule.HUMAN_TOUCHPOINT, null, reason);
    }

    public boolean allowed() {
        return kind == Kind.ALLOW;
    }
}
