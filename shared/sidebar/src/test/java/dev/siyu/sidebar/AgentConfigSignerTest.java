package dev.siyu.sidebar;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AgentConfigSignerTest {
    /** The worked example of the JS-SDK signature page (document/path/90506 and WeChat's JS-SDK appendix). */
    @Test
    void theDocumentedExampleSignsToTheDocumentedSignature() {
        assertThat(AgentConfigSigner.signature(
                "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
                "Wm3WZYTPz0wzccnW", 1414587457L, "http://mp.weixin.qq.com?params=value"))
                .isEqualTo("0f9de62fce790f9a083d5c99e95740ceb90c27ed");
    }

    @Test
    void theFragmentIsNotSigned() {
        assertThat(AgentConfigSigner.signature("t", "n", 1L, "https://a/sidebar/?x=1#part"))
                .isEqualTo(AgentConfigSigner.signature("t", "n", 1L, "https://a/sidebar/?x=1"));
    }
}
