package dev.siyu.sidebar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.staff.StaffSessions;
import dev.siyu.memory.VirtualClock;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StaffSessionsTest {
    private final VirtualClock clock = new VirtualClock(Instant.parse("2026-03-02T02:00:00Z"));
    private final StaffSessions tokens = new StaffSessions(SidebarWorld.KEY, clock);

    @Test
    void aTokenNamesItsTenantAndStaffMemberUntilItExpires() {
        String token = tokens.issue("demo-brand", "zhangsan");

        assertThat(tokens.verify(token)).hasValueSatisfying(s -> {
            assertThat(s.tenant()).isEqualTo("demo-brand");
            assertThat(s.staffUserId()).isEqualTo("zhangsan");
        });
        clock.advance(StaffSessions.LIFETIME);
        assertThat(tokens.verify(token)).isEmpty();
    }

    @Test
    void aTokenSignedWithAnotherKeyOrAlteredIsRefused() {
        String token = tokens.issue("demo-brand", "zhangsan");
        StaffSessions other = new StaffSessions("another-key-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8), clock);
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
    void aSessionIsAcceptedOnlyByItsOwnAudienceEvenUnderOneKey() {
        StaffSessions checkIn = new StaffSessions(SidebarWorld.KEY, clock, StaffSessions.CHECK_IN);

        String sidebarToken = tokens.issue("demo-brand", "zhangsan");
        String checkInToken = checkIn.issue("demo-brand", "zhangsan");

        assertThat(checkIn.verify(sidebarToken)).isEmpty();
        assertThat(tokens.verify(checkInToken)).isEmpty();
        assertThat(checkIn.verify(checkInToken)).isPresent();
        assertThat(tokens.verify(sidebarToken)).isPresent();
    }

    @Test
    void onlyTheExactSignatureWeIssuedIsAccepted() {
        String token = tokens.issue("demo-brand", "zhangsan");
        // A 32-byte MAC is 43 base64url characters: the last one carries 2 unused bits, so other characters
        // decode to the same bytes; each such spelling is another token and must be refused.
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = token.charAt(token.length() - 1);
        int index = alphabet.indexOf(last);
        String head = token.substring(0, token.length() - 1);
        int respelled = 0;
        for (int low = 0; low < 4; low++) {
            char other = alphabet.charAt((index & ~3) | low);
            if (other != last) {
                assertThat(tokens.verify(head + other)).as("respelled signature %s", other).isEmpty();
                respelled++;
            }
        }

        assertThat(respelled).isEqualTo(3);
        assertThat(tokens.verify(token)).isPresent();
    }

    @Test
    void aShortKeyIsRefused() {
        assertThatThrownBy(() -> new StaffSessions(new byte[16], clock)).hasMessageContaining("32 bytes");
    }
}
