package dev.siyu.stack.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.core.port.WeComApi.Member;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The directory (department/list, user/list_id, user/get) over HTTP, as WeCom answers it. */
class WeComStubDirectoryTest {
    static final String CORP = "wwsiyu0000demo0001";
    static final String APP_SECRET = "siyu-local-contact-secret";
    static final String CONTACTS_SECRET = "siyu-local-directory-secret";
    static final Path ROOT = Path.of("../../..").toAbsolutePath().normalize();

    WeComStub stub;
    StubHttp contacts;
    StubHttp app;

    @BeforeEach
    void start() {
        stub = new WeComStub(CORP, APP_SECRET).start(0)
                .withDirectory(CONTACTS_SECRET, ROOT.resolve("config/local-directory.yaml"));
        contacts = new StubHttp(stub, CORP, CONTACTS_SECRET);
        app = new StubHttp(stub, CORP, APP_SECRET);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Test
    void theAppsTokenMayNotReadTheDirectory() throws Exception {
        String token = app.token();

        assertThat(app.post("/cgi-bin/user/list_id?access_token=" + token, "{\"limit\":100}").path("errcode").asInt())
                .as("user/list_id: contacts secret only").isEqualTo(48009);
        assertThat(app.get("/cgi-bin/department/list?access_token=" + token).path("errcode").asInt())
                .as("department/list: no department in the app's visible range").isEqualTo(60011);
        assertThat(app.get("/cgi-bin/user/get?userid=zhangsan&access_token=" + token).path("errcode").asInt())
                .isEqualTo(60011);
        // the contacts secret's token reads it
        assertThat(contacts.call("user/list_id", "{\"limit\":100}").path("errcode").asInt()).isZero();
    }

    @Test
    void userListIdPagesByCursorAcrossMoreThanOnePage() throws Exception {
        String token = contacts.token();
        List<String> lines = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = contacts.post("/cgi-bin/user/list_id?access_token=" + token,
                    "{\"cursor\":\"" + cursor + "\",\"limit\":4}");
            assertThat(page.path("errcode").asInt()).isZero();
            assertThat(page.path("dept_user").size()).isLessThanOrEqualTo(4);
            page.path("dept_user").forEach(l -> lines.add(l.path("userid").asText() + "@" + l.path("department").asLong()));
            cursor = page.path("next_cursor").asText();
            pages++;
        } while (!cursor.isEmpty());

        // 10 members, zhengshi in two departments: 11 lines over 3 pages, each member-department once
        assertThat(pages).isEqualTo(3);
        assertThat(lines).hasSize(11).doesNotHaveDuplicates().contains("zhengshi@6", "zhengshi@4", "admin@1");
    }

    @Test
    void aLimitOutsideOneToTenThousandIsRefused() throws Exception {
        assertThat(contacts.call("user/list_id", "{\"limit\":0}").path("errcode").asInt()).isEqualTo(40058);
        assertThat(contacts.call("user/list_id", "{\"limit\":10001}").path("errcode").asInt()).isEqualTo(40058);
        assertThat(contacts.call("user/list_id", "{\"limit\":10000}").path("errcode").asInt()).isZero();
    }

    @Test
    void userGetAnswersStatusAndAnUnknownUseridIs60111() throws Exception {
        String token = contacts.token();
        JsonNode zhang = contacts.get("/cgi-bin/user/get?userid=zhangsan&access_token=" + token);
        assertThat(zhang.path("errcode").asInt()).isZero();
        assertThat(zhang.path("status").asInt()).isEqualTo(1);
        assertThat(zhang.path("department").get(0).asLong()).isEqualTo(2);
        assertThat(contacts.get("/cgi-bin/user/get?userid=chenyi&access_token=" + token).path("status").asInt())
                .as("invited, not activated").isEqualTo(4);
        assertThat(contacts.get("/cgi-bin/user/get?userid=nobody&access_token=" + token).path("errcode").asInt())
                .isEqualTo(60111);
    }

    @Test
    void aMemberWhoLeavesIsGoneAndTheirCustomersAreUnassigned() throws Exception {
        stub.registerContact(new StubContact("wmCustomer1", "A customer", "", null, 0, List.of("wujiu")));

        assertThat(stub.directory().leave("wujiu")).isEqualTo(1);

        assertThat(contacts.get("/cgi-bin/user/get?userid=wujiu&access_token=" + contacts.token())
                .path("errcode").asInt()).isEqualTo(60111);
        JsonNode unassigned = app.call("externalcontact/get_unassigned_list", "{\"cursor\":\"\",\"page_size\":100}");
        assertThat(unassigned.path("info")).anySatisfy(i -> {
            assertThat(i.path("handover_userid").asText()).isEqualTo("wujiu");
            assertThat(i.path("external_userid").asText()).isEqualTo("wmCustomer1");
        });
    }

    @Test
    void departmentListAnswersEveryDepartmentWithItsParent() throws Exception {
        JsonNode r = contacts.get("/cgi-bin/department/list?access_token=" + contacts.token());
        assertThat(r.path("department")).hasSize(6);
        assertThat(r.path("department").get(0).path("parentid").asLong()).isZero();
        stub.directory().member("x", "X", Member.DISABLED);
        assertThat(stub.directory().members()).anySatisfy(m -> assertThat(m.gone()).isTrue());
    }
}
