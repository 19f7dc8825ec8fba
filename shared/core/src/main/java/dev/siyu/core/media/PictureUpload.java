package dev.siyu.core.media;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.port.MediaCache;
import dev.siyu.core.port.WeComApi;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What apply does with the blueprint's pictures: keeps each file in the table (a deployed function has no
 * blueprint directory and must upload it again every 3 days) and uploads it once now, so a picture WeCom
 * refuses fails the apply, not a customer's send.
 */
public final class PictureUpload {
    private final MediaCache cache;
    private final WeComApi wecom;
    private final Clock clock;

    public PictureUpload(MediaCache cache, WeComApi wecom, Clock clock) {
        this.cache = cache;
        this.wecom = wecom;
        this.clock = clock;
    }

    /** @return picture file -> its media id now */
    public Map<String, String> store(ScrmConfig config, PictureFiles files) {
        CardMedia media = new CardMedia(config.tenant(), cache, files, wecom, clock);
        Map<String, String> out = new LinkedHashMap<>();
        for (String picture : BlueprintPictures.of(config)) {
            cache.storeFile(config.tenant(), picture, files.read(picture));
            out.put(picture, media.mediaId(picture));
        }
        return out;
    }
}
