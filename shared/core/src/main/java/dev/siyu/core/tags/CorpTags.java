package dev.siyu.core.tags;

import dev.siyu.core.config.TagSystem;
import dev.siyu.core.port.WeComApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Resolves tag names to WeCom corp tag ids, creating the missing ones in the group of their
 * dimension. The list is fetched once per warm function instance and dropped when WeCom tells us
 * (change_external_tag) that someone edited tags in the admin console.
 */
public final class CorpTags {
    private final WeComApi wecom;
    private final TagSystem tagSystem;
    private Map<String, String> idsByName;

    public CorpTags(WeComApi wecom, TagSystem tagSystem) {
        this.wecom = wecom;
        this.tagSystem = tagSystem;
    }

    /** Ids for the names, in order, creating tags WeCom does not have yet. */
    public synchronized List<String> ensure(List<String> names) {
        if (idsByName == null) {
            idsByName = new HashMap<>();
            wecom.corpTags().values().forEach(idsByName::putAll);
        }
        List<String> ids = new ArrayList<>(names.size());
        for (String name : names) {
            String id = idsByName.get(name);
            if (id == null) {
                id = wecom.addCorpTag(tagSystem.groupOf(name), name);
                idsByName.put(name, id);
            }
            ids.add(id);
        }
        return ids;
    }

    public synchronized void invalidate() {
        idsByName = null;
    }
}
