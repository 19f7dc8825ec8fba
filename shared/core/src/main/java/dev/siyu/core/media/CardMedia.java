package dev.siyu.core.media;

import dev.siyu.core.port.MediaCache;
import dev.siyu.core.port.WeComApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A fresh temporary media id for one of the tenant's pictures: the cached one while it has more than
 * {@link #REFRESH_BEFORE} left, else a new {@code media/upload}. WeCom checks the id when the task is created,
 * but staff send it when they confirm, hours later: a wide margin keeps the cover behind a task staff open the
 * next morning, and never lets an id lapse between the cache read and the send.
 */
public final class CardMedia {
    /** Re-upload when less than this is left of the 3 days. */
    public static final Duration REFRESH_BEFORE = Duration.ofHours(12);

    private final String tenant;
    private final MediaCache cache;
    private final PictureFiles files;
    private final WeComApi wecom;
    private final Clock clock;

    /** @param wecom uploads the picture; a plain API, not a touching view (an upload reaches nobody) */
    public CardMedia(String tenant, MediaCache cache, PictureFiles files, WeComApi wecom, Clock clock) {
        this.tenant = Objects.requireNonNull(tenant, "tenant");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.files = Objects.requireNonNull(files, "files");
        this.wecom = Objects.requireNonNull(wecom, "wecom");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** @param picture the blueprint's picture file, or null for the placeholder cover */
    public String mediaId(String picture) {
        String name = picture == null || picture.isBlank() ? PictureFiles.PLACEHOLDER : picture;
        Instant now = clock.instant();
        Optional<MediaCache.Uploaded> cached = cache.get(tenant, name);
        if (cached.isPresent() && cached.get().expiresAt().minus(REFRESH_BEFORE).isAfter(now)) {
            return cached.get().mediaId();
        }
        // the blueprint's directory (./siyu, the bundled example), else the copy apply stored for the functions
        byte[] bytes = files.exists(name) ? files.read(name)
                : cache.file(tenant, name).orElseThrow(() -> new IllegalStateException("picture " + name
                        + " is neither beside the blueprint nor stored by apply: run ./siyu apply again"));
        WeComApi.UploadedMedia up = wecom.uploadImage(fileName(name), bytes);
        // The id expires 3 days after WeCom's created_at, on WeCom's clock: the earlier of that and ours never
        // overestimates what is left when the clocks disagree.
        Instant at = up.createdAt() == null || up.createdAt().isAfter(now) ? now : up.createdAt();
        cache.put(tenant, new MediaCache.Uploaded(name, up.mediaId(), at));
        return up.mediaId();
    }

    private static String fileName(String picture) {
        int slash = picture.lastIndexOf('/');
        return slash < 0 ? picture : picture.substring(slash + 1);
    }
}
