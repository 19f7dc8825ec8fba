package dev.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.Member;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.staff.CorpDirectory;
import dev.siyu.core.staff.DirectoryReader;
import dev.siyu.stack.wecom.WeComStub;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The directory reads through WxJava (WxCpDepartmentService.list, WxCpUserService.getUserListId and getById)
 * against the stub, which answers them only to the contacts secret's token (config/local.env and
 * config/local-directory.yaml).
 */
class WxJavaWeComApiDirectoryTest {
    static final WeComSettings LOCAL = LocalEnv.settings();

    WeComStub stub;
    WxJavaWeComApi api;

    @BeforeEach
    void start() {
        stub = new WeComStub(LOCAL.corpId(), LOCAL.secret()).start(0)
                .withDirectory(LOCAL.contactsSecret().orElseThrow(),
                        LocalEnv.repoRoot().resolve("config/local-directory.yaml"));
        api = new WxJavaWeComApi(LOCAL.withApiBaseUrl(stub.baseUrl()));
    }

    @AfterEach
    void stop() {
        api.close();
        stub.close();
    }

    @Test
    void theDirectoryIsReadPageByPageWithTheContactsSecretsOwnToken() {
        // WHEN the example staff are read with a page of 3 (the corp has 11 member-department lines)
        CorpDirectory directory = new DirectoryReader(api, 3).read(List.of("zhangsan", "chenyi", "nobody"));

        // THEN every member came back over 4 pages, each with their departments
        assertThat(directory.pages()).isEqualTo(4);
        assertThat(directory.listed()).hasSize(10);
        assertThat(directory.listed().get("zhengshi")).containsExactlyInAnyOrder(6L, 4L);
        assertThat(directory.departments()).hasSize(6);
        assertThat(directory.departmentNames("zhangsan")).containsExactly("East China sales");
        assertThat(directory.standing("zhangsan")).isEqualTo(CorpDirectory.Standing.ACTIVE);
        assertThat(directory.standing("chenyi")).isEqualTo(CorpDirectory.Standing.NOT_ACTIVATED);
        assertThat(directory.standing("nobody")).isEqualTo(CorpDirectory.Standing.NOT_IN_DIRECTORY);
        // one user/get per listed member asked about, none for the one not listed
        assertThat(stub.calls("user/get")).extracting(c -> c.query().get("userid")).containsExactly("zhangsan", "chenyi");
        assertThat(stub.calls("user/list_id")).allSatisfy(c -> assertThat(c.errcode()).isZero());
    }

    @Test
    void theContactsTokenIsASecondTokenBesideTheAppsOwn() {
        api.corpTags();
        api.departments();
        api.member("lisi");

        assertThat(stub.calls("gettoken")).as("one token per secret").hasSize(2);
        assertThat(stub.calls("externalcontact/get_corp_tag_list")).singleElement()
                .satisfies(c -> assertThat(c.errcode()).isZero());

        // an expired contacts token is refreshed by the directory's own retry policy
        stub.expireTokens();
        assertThat(api.member("lisi").status()).isEqualTo(Member.ACTIVE);
        assertThat(stub.calls("gettoken")).hasSize(3);
    }

    @Test
    void anUnknownUseridIs60111() {
        assertThatThrownBy(() -> api.member("nobody")).isInstanceOfSatisfying(WeComApiException.class,
                e -> assertThat(e.errcode()).isEqualTo(WeComApi.UNKNOWN_USERID));
    }

    @Test
    void theAppSecretGivenAsTheContactsSecretIsRefused() {
        try (WxJavaWeComApi wrong = new WxJavaWeComApi(LOCAL.withContactsSecret(LOCAL.secret())
                .withApiBaseUrl(stub.baseUrl()))) {
            assertThatThrownBy(() -> wrong.memberIds(null, 100)).isInstanceOfSatisfying(WeComApiException.class,
                    e -> assertThat(e.errcode()).isEqualTo(48009));
            assertThatThrownBy(wrong::departments).isInstanceOfSatisfying(WeComApiException.class,
                    e -> assertThat(e.errcode()).isEqualTo(60011));
        }
    }

    @Test
    void aPageLimitOutsideWeComsRangeIsRefusedByTheStub() {
        assertThatThrownBy(() -> api.memberIds(null, 10_001)).isInstanceOfSatisfying(WeComApiException.class,
                e -> assertThat(e.errcode()).isEqualTo(40058));
    }

    @Test
    void withoutAContactsSecretTheDirectoryIsNotRead() {
        try (WxJavaWeComApi noContacts = new WxJavaWeComApi(LOCAL.withContactsSecret(null).withApiBaseUrl(stub.baseUrl()))) {
            assertThat(noContacts.readsDirectory()).isFalse();
            assertThatThrownBy(noContacts::departments).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("SIYU_WECOM_CONTACTS_SECRET");
        }
        assertThat(api.readsDirectory()).isTrue();
    }
}
