package dev.siyu.models.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.analytics.profiles.ModelStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A tenant's models in S3. Each publication is a new prefix {@code models/<tenant>/<version>/<file>}; once all its
 * objects are written, the pointer {@code models/<tenant>/latest.json} ({@code {"version":..,"files":{file: key}}}) is
 * written last, so a crash mid-upload leaves the previous model published whole and the new objects unreferenced.
 * A file a publication does not carry keeps the key the previous pointer gave it (the nightly tier cuts rewrite
 * {@code scoring.json} alone). Loads read one pointer for a short while, so the fit and the booster loaded together
 * come from the same publication.
 */
public final class S3ModelStore implements ModelStore {
    public static final String PREFIX = "models/";
    static final String POINTER = "latest.json";
    /** Long enough for the loads of one model (the fit, then its booster), short enough to see a new training soon. */
    private static final Duration POINTER_REUSE = Duration.ofSeconds(30);
    private static final DateTimeFormatter VERSION = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final S3Client s3;
    private final String bucket;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Pointer> pointers = new ConcurrentHashMap<>();

    /** Tries of the pointer's conditional write before a publication gives up (each lost one re-reads it). */
    static final int POINTER_ATTEMPTS = 5;

    /** @param etag the pointer object's ETag as read, for the next conditional write; null when written here */
    private record Pointer(String version, Map<String, String> files, Instant readAt, String etag) { }

    public S3ModelStore(S3Client s3, String bucket, Clock clock) {
        this.s3 = s3;
        this.bucket = bucket;
        this.clock = clock;
    }

    @Override
    public void save(String tenant, String file, byte[] content) {
        publish(tenant, Map.of(file, content));
    }

    @Override
    public synchronized void publish(String tenant, Map<String, byte[]> files) {
        Instant now = clock.instant();
        String version = VERSION.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> written = new LinkedHashMap<>();
        files.forEach((file, content) -> {
            String key = PREFIX + tenant + "/" + version + "/" + file;
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType(file)), RequestBody.fromBytes(content));
            written.put(file, key);
        });
        // The pointer is read, merged and written conditionally on the ETag read (If-None-Match: * when there is none
        // yet), so two publications at once (a training and the nightly tier cuts) cannot lose each other's files:
        // the one S3 refuses with 412 reads the other's pointer and merges again.
        for (int attempt = 1; ; attempt++) {
            Optional<Pointer> previous = current(tenant, true);
            Map<String, String> keys = new LinkedHashMap<>(previous.map(Pointer::files).orElse(Map.of()));
            keys.putAll(written);
            ObjectNode pointer = json.createObjectNode();
            pointer.put("version", version);
            pointer.put("publishedAt", now.toString());
            keys.forEach(pointer.putObject("files")::put);
            try {
                s3.putObject(b -> {
                    b.bucket(bucket).key(pointerKey(tenant)).contentType("application/json");
                    previous.ifPresentOrElse(p -> b.ifMatch(p.etag()), () -> b.ifNoneMatch("*"));
                }, RequestBody.fromBytes(bytes(pointer)));
            } catch (S3Exception e) {
                if (!lostRace(e) || attempt >= POINTER_ATTEMPTS) {
                    throw e;
                }
                continue;
            }
            pointers.put(tenant, new Pointer(version, Map.copyOf(keys), now, null));
            return;
        }
    }

    /**
     * S3's answers to a conditional write another write got in before: 412 Precondition Failed, or 409
     * ConditionalRequestConflict when the two were in flight together.
     */
    private static boolean lostRace(S3Exception e) {
        return e.statusCode() == 412 || e.statusCode() == 409;
    }

    @Override
    public Optional<byte[]> load(String tenant, String file) {
        return current(tenant, false).map(p -> p.files().get(file)).flatMap(this::object);
    }

    /** The published version's name, empty before the first publication (operators, tests). */
    public Optional<String> version(String tenant) {
        return current(tenant, true).map(Pointer::version);
    }

    private Optional<Pointer> current(String tenant, boolean fresh) {
        Pointer cached = pointers.get(tenant);
        if (!fresh && cached != null && cached.readAt().plus(POINTER_REUSE).isAfter(clock.instant())) {
            return Optional.of(cached);
        }
        Optional<Pointer> read = pointerObject(tenant);
        read.ifPresentOrElse(p -> pointers.put(tenant, p), () -> pointers.remove(tenant));
        return read;
    }

    private Optional<Pointer> pointerObject(String tenant) {
        try {
            var got = s3.getObjectAsBytes(b -> b.bucket(bucket).key(pointerKey(tenant)));
            return Optional.of(pointer(got.asByteArray(), got.response().eTag()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    private Pointer pointer(byte[] content, String etag) {
        try {
            JsonNode node = json.readTree(content);
            Map<String, String> files = new LinkedHashMap<>();
            node.path("files").fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue().asText()));
            return new Pointer(node.path("version").asText(), Map.copyOf(files), clock.instant(), etag);
        } catch (IOException e) {
            throw new UncheckedIOException("the model pointer in " + bucket + " is not JSON", e);
        }
    }

    /**
     * A missing object is S3's 404 NoSuchKey only because the function may list the bucket (template.yaml,
     * ModelListing, with no prefix condition: a condition on s3:prefix does not match a GetObject, and S3 then
     * answers a missing key with 403 AccessDenied). A 403 is never read as "none yet": a store that lost its
     * permission must fail, not retrain over a model it cannot see.
     */
    private Optional<byte[]> object(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pointerKey(String tenant) {
        return PREFIX + tenant + "/" + POINTER;
    }

    private static String contentType(String file) {
        return file.endsWith(".json") ? "application/json" : "application/octet-stream";
    }
}
