package dev.siyu.sidebar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.memory.VirtualClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SessionTokensTest {
    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-03-02T02:00:00Z"));
    private final SessionTokens tokens = new SessionTokens(SidebarWorld.KEY, clock);

    @Test
    void aTokenNamesItsTenantAndStaffMemberUntilItExpires() {
        String token = tokens.issue("demo-brand", "zhangsan");

        assertThat(tokens.verify(token)).hasValueSatisfying(s -> {
            assertThat(s.tenant()).isEqualTo("demo-brand");
            assertThat(s.staffUserId()).isEqualTo("zhangsan");
        });
        clock.advance(SessionTokens.LIFETIME);
        assertThat(tokens.verify(token)).isEmpty();
    }

    @Test
    void aTokenSignedWithAnotherKeyOrAlteredIsRefused() {
        String token = tokens.issue("demo-brand", "zhangsan");
        SessionTokens other = new SessionTokens("another-key-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8), clock);
        String payload = token.substring(0, token.indexOf('.'));
        String forged = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                new String(java.util.Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8)
                        .replace("zhangsan", "lisi").getBytes(StandardCharsets.UTF_8)) + token.substring(token.indexOf('.'));

        assertThat(other.verify(token)).isEmpty();
        assertThat(tokens.verify(forged)).isEmpty();
        assertThat(tokens.verify("")).isEmpty();
        assertThat(tokens.verify("a.b.c")).isEmpty();
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> new SessionTokens(new byte[16], clock)).hasMessageContaining("32 bytes");
    }
}
