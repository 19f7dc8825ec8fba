package dev.siyu.core.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.port.WeComApi.Department;
import dev.siyu.core.port.WeComApi.Member;
import dev.siyu.core.staff.CorpDirectory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The blueprint's staff against a directory, each problem at the line and column of the member's user_id. */
class StaffDirectoryCheckTest {
    private static final String YAML = """
            tenant: acme
            staff:
              - user_id: amy
                name: Amy
              - user_id: bne
                name: Ben
              - name: Cai
                user_id: cai
              - user_id: dan
              - user_id: eve
            """;

    private static CorpDirectory directory() {
        return new CorpDirectory(List.of(new Department(1, "Acme", 0)),
                Map.of("amy", Set.of(1L), "ben", Set.of(1L), "cai", Set.of(1L), "dan", Set.of(1L), "eve", Set.of(1L)),
                Map.of("amy", new Member("amy", "Amy", List.of(1L), Member.ACTIVE),
                        "ben", new Member("ben", "Ben", List.of(1L), Member.ACTIVE),
                        "cai", new Member("cai", "Cai", List.of(1L), Member.DISABLED),
                        "dan", new Member("dan", "Dan", List.of(1L), Member.LEFT),
                        "eve", new Member("eve", "Eve", List.of(1L), Member.NOT_ACTIVATED)), 1);
    }

    @Test
    void eachMemberWhoCannotServeIsAnErrorAtTheirUserIdAndOneNotActivatedAWarning() {
        StaffDirectoryCheck.Result r = StaffDirectoryCheck.check(YAML, "acme.yaml", directory());

        assertThat(r.errors()).extracting(ConfigProblem::toString).containsExactly(
                "acme.yaml:5:14: staff[1].user_id: unknown userid 'bne': WeCom's directory has no such member"
                        + " (5 members listed by user/list_id); did you mean 'ben'?",
                "acme.yaml:8:14: staff[2].user_id: 'cai' is disabled in WeCom's directory (user/get status 2):"
                        + " remove them from staff; the staff-directory job marks them for offboarding",
                "acme.yaml:9:14: staff[3].user_id: 'dan' has left the company (user/get status 5): remove them from"
                        + " staff; the staff-directory job marks them for offboarding");
        assertThat(r.warnings()).singleElement().satisfies(w -> {
            assertThat(w.line()).isEqualTo(10);
            assertThat(w.message()).contains("'eve' has not activated WeCom yet (user/get status 4)");
        });
    }

    @Test
    void staffAllInTheDirectoryIsClean() {
        StaffDirectoryCheck.Result r = StaffDirectoryCheck.check("staff:\n  - user_id: amy\n", "a.yaml", directory());
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).isEmpty();
    }
}
