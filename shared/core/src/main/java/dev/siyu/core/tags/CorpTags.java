package dev.siyu.core.tags;

import dev.siyu.core.config.TagSystem;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
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
                id = create(name);
                idsByName.put(name, id);
            }
            ids.add(id);
        }
        return ids;
    }

    /**
     * Creates the tag; when another instance (a second function container, the operator) created it
     * since our list was read, WeCom answers 40071 and the fresh list has its id.
     */
    private String create(String name) {
        try {
            return wecom.addCorpTag(tagSystem.groupOf(name), name);
        } catch (WeComApiException e) {
            if (e.errcode() != WeComApiException.TAG_EXISTS) {
                throw e;
            }
            idsByName = new HashMap<>();
            wecom.corpTags().values().forEach(idsByName::putAll);
            String id = idsByName.get(name);
            if (id == null) {
                throw e;
            }
            return id;
        }
    }

    public synchronized void invalidate() {
        idsByName = null;
    }
}
