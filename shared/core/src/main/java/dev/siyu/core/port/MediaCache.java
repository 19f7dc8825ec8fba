package dev.siyu.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The tenant's pictures as uploaded to WeCom: per picture file, the temporary media id {@code media/upload} gave
 * and when. Shared by every instance, so a picture is uploaded once per 3 days, not once per send or per cold
 * instance. Correctness never depends on it: a lost entry costs one more upload.
 */
public interface MediaCache {
    /** WeCom's life of a temporary media id (media/upload: "media_id 仅三天内有效"). */
    Duration LIFETIME = Duration.ofDays(3);

    /** @param picture the blueprint's picture file the id was uploaded from */
    record Uploaded(String picture, String mediaId, Instant uploadedAt) {
        public Instant expiresAt() {
            return uploadedAt.plus(LIFETIME);
        }
    }

    Optional<Uploaded> get(String tenant, String picture);

    /** Replaces the picture's entry (a newer upload wins; an older one may be overwritten harmlessly). */
    void put(String tenant, Uploaded uploaded);

    /**
     * The picture file itself, as {@code apply} stored it: a deployed function has no blueprint directory, and
     * must upload the picture again every 3 days. Empty when none was stored.
     */
    default Optional<byte[]> file(String tenant, String picture) {
        return Optional.empty();
    }

    /** Keeps the picture file for {@link #file} (its item has no expiry). */
    default void storeFile(String tenant, String picture, byte[] bytes) {
        throw new UnsupportedOperationException(getClass().getName() + " keeps no picture files");
    }

    /** No cache: every send uploads its picture (assemblies that have no store for it). */
    MediaCache NONE = new MediaCache() {
        @Override
        public Optional<Uploaded> get(String tenant, String picture) {
            return Optional.empty();
        }

        @Override
        public void put(String tenant, Uploaded uploaded) {
        }
    };
}
