package dev.siyu.sidebar;

import static dev.siyu.sidebar.SidebarWorld.CUSTOMER;
import static dev.siyu.sidebar.SidebarWorld.OTHER_STAFF;
import static dev.siyu.sidebar.SidebarWorld.STAFF;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.staff.StaffSessions;
import dev.siyu.memory.CallLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sidebar's routes as the page calls them, on the in-memory ports and the recording WeCom API. */
class SidebarEndpointTest {
    private final SidebarWorld world = new SidebarWorld();

    @Test
    void theOAuthCodeNamesTheStaffMemberWhoGetsTheirCustomersCard() {
        String token = world.signIn(STAFF);

        SidebarEndpoint.Reply r = world.get("customer", token, Map.of("external_userid", CUSTOMER));

        assertThat(r.status()).isEqualTo(200);
        JsonNode card = world.read(r);
        assertThat(card.get("external_userid").asText()).isEqualTo(CUSTOMER);
        assertThat(card.get("channel").asText()).isEqualTo("Package Insert - East China Warehouse");
        assertThat(card.get("tags")).extracting(JsonNode::asText).contains("package_insert", "new_customer");
        assertThat(card.get("tag_catalog").get(0).get("name").asText()).isEqualTo("Customer Source");
        assertThat(card.get("scenarios")).extracting(JsonNode::asText).contains("price_objection");
        assertThat(card.get("timeline")).extracting(e -> e.get("kind").asText()).contains("contact_added");
    }

    @Test
    void aCodeIsGoodOnceAndForFiveMinutes() {
        String code = world.wecom.oauthCode(STAFF);
        assertThat(world.post("session", null, Map.of("code", code)).status()).isEqualTo(200);
        assertThat(world.post("session", null, Map.of("code", code)).status()).isEqualTo(401);

        String late = world.wecom.oauthCode(STAFF);
        world.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        SidebarEndpoint.Reply r = world.post("session", null, Map.of("code", late));
        assertThat(r.status()).isEqualTo(401);
        assertThat(world.read(r).get("error").asText()).isEqualTo("invalid_code");
    }

    @Test
    void everyJsonRouteNeedsAValidUnexpiredSession() {
        assertThat(world.get("customer", null, Map.of("external_userid", CUSTOMER)).status()).isEqualTo(401);
        assertThat(world.get("customer", "forged.token", Map.of("external_userid", CUSTOMER)).status()).isEqualTo(401);
        String token = world.signIn(STAFF);
        world.clock.advance(StaffSessions.LIFETIME);
        assertThat(world.get("customer", token, Map.of("external_userid", CUSTOMER)).status()).isEqualTo(401);
    }

    @Test
    void aStaffMemberWhoIsNotTheCustomersContactSeesAndChangesNothing() {
        String token = world.signIn(OTHER_STAFF);

        assertThat(world.get("customer", token, Map.of("external_userid", CUSTOMER)).status()).isEqualTo(403);
        assertThat(world.post("marks", token, Map.of("external_userid", CUSTOMER, "mark", "replied",
                "request_id", "r1")).status()).isEqualTo(403);
        assertThat(world.post("tags", token, Map.of("external_userid", CUSTOMER, "add", List.of("skincare"),
                "request_id", "r2")).status()).isEqualTo(403);
        assertThat(world.profile().activity().firstReplyAt()).isNull();
        assertThat(world.profile().tags()).doesNotContain("skincare");
    }

    @Test
    void anAddedTagIsMarkedInWeComAsTheStaffMemberAndLandsWithSourceSidebar() {
        String token = world.signIn(STAFF);

        SidebarEndpoint.Reply r = world.post("tags", token, Map.of("external_userid", CUSTOMER,
                "add", List.of("skincare"), "remove", List.of("new_customer"), "request_id", "edit-1"));

        assertThat(r.status()).isEqualTo(200);
        assertThat(world.read(r).get("tags")).extracting(JsonNode::asText).contains("skincare")
                .doesNotContain("new_customer");
        assertThat(world.wecom.marks()).anySatisfy(m -> {
            assertThat(m.staff()).isEqualTo(STAFF);
            assertThat(m.externalUserId()).isEqualTo(CUSTOMER);
            assertThat(m.add()).hasSize(1);
            assertThat(m.remove()).hasSize(1);
        });
        assertThat(world.timeline()).filteredOn(e -> e.kind().equals("tag_added"))
                .anySatisfy(e -> assertThat(e.details()).containsEntry("tag", "skincare").containsEntry("source", "sidebar"));
        assertThat(world.timeline()).filteredOn(e -> e.kind().equals("tag_removed"))
                .singleElement().satisfies(e -> assertThat(e.details()).containsEntry("tag", "new_customer"));
    }

    @Test
    void aTagOutsideTheBlueprintIsRefusedBeforeWeComIsAsked() {
        String token = world.signIn(STAFF);
        world.wecom.drain();

        SidebarEndpoint.Reply r = world.post("tags", token, Map.of("external_userid", CUSTOMER,
                "add", List.of("made_up"), "request_id", "edit-2"));

        assertThat(r.status()).isEqualTo(400);
        assertThat(world.wecom.drain()).extracting(CallLog.Call::api).doesNotContain("externalcontact/mark_tag");
    }

    @Test
    void customerRepliedLandsOnTheTimelineAsTheReplyJourneysWaitForOncePerClick() {
        String token = world.signIn(STAFF);
        Map<String, String> click = Map.of("external_userid", CUSTOMER, "mark", "replied", "request_id", "click-1");

        assertThat(world.post("marks", token, click).status()).isEqualTo(200);
        assertThat(world.post("marks", token, click).status()).isEqualTo(200);

        assertThat(world.timeline()).filteredOn(e -> e.kind().equals("reply")).singleElement()
                .satisfies(e -> {
                    assertThat(e.staffUserId()).isEqualTo(STAFF);
                    assertThat(e.details()).containsEntry("source", "sidebar");
                });
        assertThat(world.profile().activity().firstReplyAt()).isEqualTo(SidebarWorld.T0);
        assertThat(world.triggers.sent()).filteredOn(s -> s.trigger() != null && s.trigger().kind().equals("reply"))
                .hasSize(1);
    }

    @Test
    void anInteractionKeepsTheCustomerActiveWithoutCountingAsAReply() {
        world.clock.advance(Duration.ofDays(3));
        String token = world.signIn(STAFF);

        world.post("marks", token, Map.of("external_userid", CUSTOMER, "mark", "interaction", "request_id", "i-1"));

        assertThat(world.profile().activity().lastInteractionAt()).isEqualTo(SidebarWorld.T0.plus(Duration.ofDays(3)));
        assertThat(world.profile().activity().firstReplyAt()).isNull();
        assertThat(world.timeline()).extracting(TimelineEvent::kind).contains("interaction");
    }

    @Test
    void anOpenDeskTaskIsListedOnTheCardAndMarkedSentOntoTheTimeline() {
        var task = world.deskTask("new_customer_activation#" + world.customerId() + "#r1#2", "Product guide",
                "Here is the product guide I promised.");
        String token = world.signIn(STAFF);

        JsonNode card = world.read(world.get("customer", token, Map.of("external_userid", CUSTOMER)));
        assertThat(card.get("tasks")).singleElement().satisfies(t -> {
            assertThat(t.get("id").asText()).isEqualTo(task.id());
            assertThat(t.get("text").asText()).isEqualTo("Here is the product guide I promised.");
        });

        SidebarEndpoint.Reply sent = world.post("tasks/" + task.id() + "/sent", token, Map.of("request_id", "s1"));
        assertThat(sent.status()).isEqualTo(200);
        assertThat(world.read(sent).get("status").asText()).isEqualTo("SENT");
        assertThat(world.timeline()).filteredOn(e -> e.kind().equals("staff_message_sent")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("task", task.id()));
        assertThat(world.read(world.get("customer", token, Map.of("external_userid", CUSTOMER))).get("tasks")).isEmpty();
        assertThat(world.post("tasks/" + task.id() + "/dismiss", token, Map.of("request_id", "d1")).status())
                .isEqualTo(409);
    }

    @Test
    void aTaskForACustomerWhoWithdrewConsentIsRefusedAsARedLine() {
        var task = world.deskTask("j#c#r#2", "Offer", "Members get 10% off this week");
        world.engine.ports().customers().update(SidebarWorld.EXAMPLE.tenant(), world.customerId(),
                p -> p.withActivity(p.activity().consentWithdrawn(world.clock.instant()), world.clock.instant()),
                List.of());
        String token = world.signIn(STAFF);

        assertThat(world.read(world.get("customer", token, Map.of("external_userid", CUSTOMER)))
                .get("consent_withdrawn").asBoolean()).isTrue();
        SidebarEndpoint.Reply r = world.post("tasks/" + task.id() + "/sent", token, Map.of("request_id", "s"));

        assertThat(r.status()).isEqualTo(409);
        assertThat(world.read(r).get("error").asText()).isEqualTo("red_line");
    }

    @Test
    void aClaimIsCheckedBeforeTheMessageGoesOut_andAClaimedTaskIsMarkedSentPastItsExpiry() {
        var refused = world.deskTask("j#c#r#3", "Offer", "Members get 10% off this week");
        var task = world.deskTask("j#c#r#4", "Guide", "Here is the guide");

        // a task claimed a minute before its expiry; the sent arrives two minutes after it
        world.clock.set(task.expiresAt().minusSeconds(60));
        String token = world.signIn(STAFF);
        SidebarEndpoint.Reply claim = world.post("tasks/" + task.id() + "/claim", token, Map.of("request_id", "c1"));
        assertThat(claim.status()).isEqualTo(200);
        assertThat(world.read(claim).get("status").asText()).isEqualTo("SENDING");
        world.clock.set(task.expiresAt().plusSeconds(120));
        SidebarEndpoint.Reply sent = world.post("tasks/" + task.id() + "/sent", token, Map.of("request_id", "c1"));
        assertThat(sent.status()).isEqualTo(200);
        assertThat(world.timeline()).filteredOn(e -> e.kind().equals("staff_message_sent")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("task", task.id()));

        // the unclaimed one is past its time: the claim refuses it, so the page sends nothing
        SidebarEndpoint.Reply late = world.post("tasks/" + refused.id() + "/claim", token, Map.of("request_id", "c2"));
        assertThat(late.status()).isEqualTo(409);
        assertThat(world.read(late).get("error").asText()).isEqualTo("task_closed");
    }

    @Test
    void anotherStaffMembersTaskCannotBeClosed() {
        var task = world.deskTask("j#c#r#1", "Guide", "Text");

        SidebarEndpoint.Reply r = world.post("tasks/" + task.id() + "/sent", world.signIn(OTHER_STAFF),
                Map.of("request_id", "x"));

        assertThat(r.status()).isEqualTo(404);
        assertThat(world.timeline()).extracting(TimelineEvent::kind).doesNotContain("staff_message_sent");
    }

    @Test
    void scriptsAreSearchedByScenarioAndWords() {
        String token = world.signIn(STAFF);

        JsonNode r = world.read(world.get("scripts", token, Map.of("scenario", "price_objection", "q", "coupon")));

        assertThat(r.get("scripts")).extracting(s -> s.get("title").asText())
                .containsExactly("When the price feels high");
    }

    @Test
    void agentConfigIsSignedWithTheAgentTicketForTheSidebarPageOnly() {
        String token = world.signIn(STAFF);
        String url = "https://sidebar.example.com/sidebar/?state=x";

        JsonNode c = world.read(world.post("agent-config", token, Map.of("url", url + "#top")));

        String ticket = world.wecom.staffPage().currentTicket(world.clock.instant());
        assertThat(c.get("signature").asText()).isEqualTo(AgentConfigSigner.signature(ticket,
                c.get("nonceStr").asText(), c.get("timestamp").asLong(), url));
        assertThat(c.get("corpid").asText()).isEqualTo("ww-test-corp");
        assertThat(c.get("agentid").asInt()).isEqualTo(1000002);
        assertThat(c.get("jsApiList")).extracting(JsonNode::asText)
                .containsExactly("getCurExternalContact", "sendChatMessage");
        assertThat(world.post("agent-config", token, Map.of("url", "https://evil.example.com/page")).status())
                .isEqualTo(400);
    }

    @Test
    void thePageIsServedUncachedAndItsBareAddressRedirectsKeepingTheCode() {
        SidebarEndpoint.Reply page = world.endpoint.handle(new SidebarEndpoint.Request("GET", "/sidebar/index.html",
                Map.of(), Map.of(), null, false));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.text()).contains("<main id=\"sidebar\"");
        assertThat(page.headers()).containsEntry("Cache-Control", "no-store").containsKey("Content-Security-Policy");

        for (String bareAddress : List.of("/sidebar", "/sidebar/")) {
            SidebarEndpoint.Reply bare = world.endpoint.handle(new SidebarEndpoint.Request("GET", bareAddress,
                    Map.of("code", "abc", "state", "sidebar"), Map.of(), null, false));
            assertThat(bare.status()).isEqualTo(302);
            assertThat(bare.headers()).containsEntry("Location", "/sidebar/index.html?code=abc&state=sidebar");
        }
        assertThat(world.endpoint.handle(new SidebarEndpoint.Request("GET", "/sidebar/../pom.xml", Map.of(), Map.of(),
                null, false)).status()).isEqualTo(404);
    }
}
