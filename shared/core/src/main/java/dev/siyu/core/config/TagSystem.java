package dev.siyu.core.config;

import java.util.List;
import java.util.Optional;

/** The tag dimensions; each becomes a WeCom corp tag group of the same name. */
public record TagSystem(List<TagDimension> dimensions) {
    public static final String AUTO_TAG_GROUP = "Auto Tags";

    public TagSystem {
        dimensions = List.copyOf(dimensions);
    }

    /** The corp tag group a tag belongs in: its dimension, or "Auto Tags" for channel-made tags. */
    public String groupOf(String tag) {
        return dimensions.stream().filter(d -> d.tags().contains(tag)).map(TagDimension::name).findFirst()
                .orElse(AUTO_TAG_GROUP);
    }

    public Optional<TagDimension> dimension(String name) {
        return dimensions.stream().filter(d -> d.name().equals(name)).findFirst();
    }

    public record TagDimension(String name, List<String> tags) {
        public TagDimension {
            tags = List.copyOf(tags);
        }
    }
}
