package dev.siyu.core.miniapp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.ingest.BadInput;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A member's JSON body read field by field: every refusal is a {@link BadInput} naming the field as the member
 * wrote it, thrown before anything is written. Strings are bounded and free of control characters; enums are
 * closed lists; dates are real dates.
 */
public final class MemberInput {
    public static final Set<String> GENDERS = Set.of("male", "female", "other", "unknown");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\\n]]");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}([_-][A-Za-z]{2,4})?");
    private static final Pattern URL = Pattern.compile("https://[\\x21-\\x7e]{1,500}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectNode body;

    private MemberInput(ObjectNode body) {
        this.body = body;
    }

    /** The body as a JSON object; an empty body reads as {}. */
    public static MemberInput of(byte[] raw) {
        if (raw.length == 0) {
            return new MemberInput(JSON.createObjectNode());
        }
        JsonNode n;
        try {
            n = JSON.readTree(raw);
        } catch (JsonProcessingException e) {
            throw new BadInput("body", "is not JSON");
        } catch (java.io.IOException e) {
            throw new BadInput("body", "cannot be read");
        }
        if (n == null || !n.isObject()) {
            throw new BadInput("body", "must be a JSON object");
        }
        return new MemberInput((ObjectNode) n);
    }

    /** Refuses fields outside allowed: a misspelt field would otherwise be ignored silently. */
    public MemberInput only(Set<String> allowed) {
        body.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new BadInput(f, "is not a field of this request (fields: " + String.join(", ",
                        allowed.stream().sorted().toList()) + ")");
            }
        });
        return this;
    }

    public boolean has(String field) {
        return body.has(field);
    }

    public boolean isNull(String field) {
        return body.has(field) && body.get(field).isNull();
    }

    public String required(String field, int maxChars) {
        return text(field, maxChars).orElseThrow(() -> new BadInput(field, "is required"));
    }

    /** The field's text, empty when absent or null; refused when not a string, blank, too long or with controls. */
    public Optional<String> text(String field, int maxChars) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isTextual()) {
            throw new BadInput(field, "must be a string");
        }
        String s = v.asText().strip();
        if (s.isEmpty()) {
            throw new BadInput(field, "may not be blank");
        }
        if (s.codePointCount(0, s.length()) > maxChars) {
            throw new BadInput(field, "is longer than " + maxChars + " characters");
        }
        if (CONTROL.matcher(s).find()) {
            throw new BadInput(field, "may not contain control characters");
        }
        return Optional.of(s);
    }

    public Optional<String> oneOf(String field, Set<String> values) {
        return text(field, 32).map(v -> {
            if (!values.contains(v)) {
                throw new BadInput(field, "must be one of " + String.join(", ", values.stream().sorted().toList()));
            }
            return v;
        });
    }

    public Optional<Boolean> bool(String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isBoolean()) {
            throw new BadInput(field, "must be true or false");
        }
        return Optional.of(v.asBoolean());
    }

    /** A date of birth: yyyy-MM-dd, not before 1900, not after today. */
    public Optional<LocalDate> birthDate(String field, LocalDate today) {
        return text(field, 10).map(v -> {
            LocalDate d;
            try {
                d = LocalDate.parse(v);
            } catch (DateTimeParseException e) {
                throw new BadInput(field, "must be a date as yyyy-MM-dd");
            }
            if (d.isBefore(LocalDate.of(1900, 1, 1)) || d.isAfter(today)) {
                throw new BadInput(field, "must lie between 1900-01-01 and today");
            }
            return d;
        });
    }

    /** An instant with an offset or Z, not more than a day ahead of now (a phone's clock may run fast). */
    public Optional<Instant> instant(String field, Instant now) {
        return text(field, 40).map(v -> {
            Instant at;
            try {
                at = java.time.OffsetDateTime.parse(v).toInstant();
            } catch (DateTimeParseException e) {
                throw new BadInput(field, "must be ISO-8601 with an offset or Z");
            }
            if (at.isAfter(now.plusSeconds(86_400)) || at.isBefore(Instant.parse("2000-01-01T00:00:00Z"))) {
                throw new BadInput(field, "is not a plausible time");
            }
            return at;
        });
    }

    public Optional<String> language(String field) {
        return text(field, 16).map(v -> {
            if (!LANGUAGE.matcher(v).matches()) {
                throw new BadInput(field, "must be a language tag such as zh_CN or en");
            }
            return v;
        });
    }

    public Optional<String> timeZone(String field) {
        return text(field, 64).map(v -> {
            try {
                if (!ZoneId.getAvailableZoneIds().contains(v)) {
                    throw new DateTimeException(v);
                }
                return ZoneId.of(v).getId();
            } catch (DateTimeException e) {
                throw new BadInput(field, "must be an IANA time zone such as Asia/Shanghai");
            }
        });
    }

    public Optional<String> httpsUrl(String field) {
        return text(field, 500).map(v -> {
            if (!URL.matcher(v).matches()) {
                throw new BadInput(field, "must be an https:// URL");
            }
            return v;
        });
    }

    /** An id the client makes up (a request id, an event id): 8 to 64 of letters, digits, '-' and '_'. */
    public String clientId(String field) {
        String v = required(field, 64);
        if (!v.matches("[A-Za-z0-9_-]{8,64}")) {
            throw new BadInput(field, "must be 8 to 64 letters, digits, '-' or '_'");
        }
        return v;
    }

    public static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
