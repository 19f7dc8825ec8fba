package dev.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.config.TagSystem.TagDimension;
import dev.siyu.core.config.TagSystem;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.stack.wecom.WeComStub;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two function instances resolve the same new tag: the one that read the tag list before the other
 * created the tag gets WeCom's 40071 and must still come back with the tag's id, not fail the step.
 */
class CorpTagsRaceTest {
    static final WeComSettings LOCAL = LocalEnv.settings();
    static final TagSystem TAGS = new TagSystem(List.of(new TagDimension("Lifecycle Stage", List.of("dormant_customer"))));
    static WeComStub stub;

    @BeforeAll
    static void startStub() {
        stub = new WeComStub(LOCAL.corpId(), LOCAL.secret()).start(0);
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    @Test
    void aTagCreatedByAnotherInstanceInTheMeantimeIsFoundNotFailed() {
        try (WxJavaWeComApi a = new WxJavaWeComApi(LOCAL.withApiBaseUrl(stub.baseUrl()));
             WxJavaWeComApi b = new WxJavaWeComApi(LOCAL.withApiBaseUrl(stub.baseUrl()))) {
            CorpTags first = new CorpTags(a, TAGS);
            CorpTags second = new CorpTags(b, TAGS);
            // GIVEN the first instance read the tag list while the tag did not exist yet
            first.ensure(List.of());
            // AND the second instance created it since
            List<String> created = second.ensure(List.of("dormant_customer"));

            // WHEN the first instance needs the same tag
            List<String> found = first.ensure(List.of("dormant_customer"));

            // THEN it gets the same id, after WeCom refused the duplicate with 40071
            assertThat(found).isEqualTo(created);
            assertThat(stub.calls("externalcontact/add_corp_tag")).extracting(c -> c.errcode()).containsExactly(0, 40071);
        }
    }
}
