package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.port.MediaCache.Uploaded;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class DynamoMediaCacheTest {
    @RegisterExtension
    static final LocalAws aws = new LocalAws();
    private DynamoMediaCache cache;

    @BeforeEach
    void cache() {
        cache = new DynamoMediaCache(aws.dynamo(), LocalAws.TABLE, new CapacityMeter());
    }

    @Test
    void aPicturesUploadIsKeptPerTenantAndReplacedByTheNextOne() {
        Instant t0 = Instant.parse("2026-03-01T02:00:00Z");
        Uploaded first = new Uploaded("media/guide-card.png", "3MEDIA-1", t0);
        cache.put("acme", first);

        assertThat(cache.get("acme", "media/guide-card.png")).contains(first);
        assertThat(cache.get("acme", "media/guide-card.png").orElseThrow().expiresAt())
                .isEqualTo(Instant.parse("2026-03-04T02:00:00Z"));
        assertThat(cache.get("other", "media/guide-card.png")).isEmpty();
        assertThat(cache.get("acme", "media/coupon-card.png")).isEmpty();

        Uploaded refreshed = new Uploaded("media/guide-card.png", "3MEDIA-2", t0.plusSeconds(60 * 60 * 62));
        cache.put("acme", refreshed);
        assertThat(cache.get("acme", "media/guide-card.png")).contains(refreshed);
    }

    @Test
    void thePictureFileApplyStoredIsThereForTheFunctionsAndAnOversizedOneIsRefused() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0};
        cache.storeFile("acme", "media/coupon-card.png", png);

        assertThat(cache.file("acme", "media/coupon-card.png")).hasValueSatisfying(b -> assertThat(b).isEqualTo(png));
        assertThat(cache.file("other", "media/coupon-card.png")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cache.storeFile("acme", "media/huge.png",
                        new byte[DynamoMediaCache.MAX_FILE_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 350 KB");
    }
}
