package dev.siyu.sidebar;

import static dev.siyu.sidebar.SidebarWorld.CUSTOMER;
import static dev.siyu.sidebar.SidebarWorld.STAFF;
import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.profile.TimelineEvent;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The sidebar page in headless Chromium (Debian's chromium and chromium-driver), served by the real endpoint on
 * a loopback server over the in-memory stores, with WeCom's JS-SDK object {@code wx} stubbed into the page: it
 * answers getCurExternalContact with the customer and records every call. Screenshots are kept in
 * target/sidebar-screenshots. Skipped where the browser or its driver is not installed (.ci/run installs both).
 */
class SidebarBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target/sidebar-screenshots");

    /** WeCom's wx in the page: agentConfig succeeds, invoke answers as the WeCom client does, all recorded. */
    static final String WX_STUB = """
            window.__wxCalls = [];
            window.wx = {
              agentConfig: function (c) { window.__wxCalls.push({api: 'agentConfig', args: c}); setTimeout(c.success, 0); },
              invoke: function (name, args, cb) {
                window.__wxCalls.push({api: name, args: args});
                var res = {err_msg: name + ':ok'};
                if (name === 'getCurExternalContact') { res.userId = '%s'; }
                setTimeout(function () { cb(res); }, 0);
              }
            };
            """.formatted(CUSTOMER);

    private SidebarWorld world;
    private LoopbackSidebar server;
    private ChromeDriver browser;

    @BeforeEach
    void start() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Debian's chromium and chromium-driver are not installed (.ci/run installs them)");
        world = new SidebarWorld();
        server = new LoopbackSidebar(world.endpoint);
        ChromeOptions options = new ChromeOptions();
        // Both paths given: Selenium Manager has nothing to look up, so it downloads nothing.
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=420,1400");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", WX_STUB));
        Files.createDirectories(SHOTS);
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void staffSeeTheCustomerEditATagSendATaskFindAScriptAndMarkAReply() {
        String guide = "Hi! Here is the 3-step routine card I promised: cleanse, tone, moisturise.";
        var task = world.deskTask("new_customer_activation#" + world.customerId() + "#r1#2", "Routine card", guide);
        // WeCom's OAuth redirect lands on /sidebar/?code=..., which the endpoint sends on to the page itself
        browser.get(server.baseUrl() + "/sidebar/?code=" + world.wecom.oauthCode(STAFF) + "&state=sidebar");
        awaitCss("body[data-ready='true']");
        shot("1-opened");

        assertThat(browser.getCurrentUrl()).endsWith("/sidebar/index.html").doesNotContain("code=");
        assertThat(browser.findElement(By.id("customer-name")).getText()).isEqualTo(world.profile().name());
        assertThat(texts("#tags li.tag")).anySatisfy(t -> assertThat(t).startsWith("package_insert"));
        Map<?, ?> agentConfig = wxCall("agentConfig");
        String ticket = world.wecom.staffPage().currentTicket(world.clock.instant());
        assertThat(agentConfig.get("signature")).isEqualTo(AgentConfigSigner.signature(ticket,
                (String) agentConfig.get("nonceStr"), ((Number) agentConfig.get("timestamp")).longValue(),
                browser.getCurrentUrl().split("#")[0]));

        new Select(browser.findElement(By.id("tag-add"))).selectByValue("skincare");
        browser.findElement(By.id("tag-add-button")).click();
        awaitCss("#tags li[data-tag='skincare']");
        shot("2-tag-added");
        assertThat(world.profile().tags()).contains("skincare");
        assertThat(world.timeline()).filteredOn(e -> e.kind().equals("tag_added"))
                .anySatisfy(e -> assertThat(e.details()).containsEntry("tag", "skincare").containsEntry("source", "sidebar"));

        assertThat(texts("#tasks li.task .task-text")).containsExactly(guide);
        browser.findElement(By.cssSelector("#tasks li.task[data-task-id='" + task.id() + "'] button.send")).click();
        awaitCondition(() -> browser.findElements(By.cssSelector("#tasks li.task")).isEmpty());
        shot("3-task-sent");
        assertThat(wxCalls("sendChatMessage")).singleElement().satisfies(args -> {
            assertThat(args.get("msgtype")).isEqualTo("text");
            assertThat(((Map<?, ?>) args.get("text")).get("content")).isEqualTo(guide);
        });
        assertThat(world.timeline()).filteredOn(e -> e.kind().equals("staff_message_sent")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("task", task.id()));
        assertThat(browser.findElements(By.cssSelector("#timeline li[data-kind='staff_message_sent']"))).hasSize(1);
        assertThat(world.engine.ports().desk().task(SidebarWorld.EXAMPLE.tenant(), STAFF, task.id()).orElseThrow()
                .claimedUntil()).as("claimed on the server before the chat message went out").isNotNull();
        assertThat(browser.executeScript("return Object.keys(sessionStorage).filter(function (k) {"
                + " return k.indexOf('siyu.sidebar.sent.') === 0; }).length")).as("no sent left pending")
                .isEqualTo(0L);

        browser.findElement(By.id("script-query")).sendKeys("trial");
        browser.findElement(By.id("script-search-button")).click();
        awaitCss("#script-results li.script");
        shot("4-script-found");
        assertThat(texts("#script-results li.script b")).containsExactly("Compare with the trial size");
        browser.findElement(By.cssSelector("#script-results li.script button.send")).click();
        awaitCondition(() -> wxCalls("sendChatMessage").size() == 2);
        assertThat(((Map<?, ?>) wxCalls("sendChatMessage").get(1).get("text")).get("content"))
                .isEqualTo(SidebarWorld.EXAMPLE.scripts().search("", "trial").get(0).text());

        browser.findElement(By.id("mark-replied")).click();
        awaitCss("#timeline li[data-kind='reply']");
        shot("5-replied");
        assertThat(world.timeline()).filteredOn(e -> e.kind().equals("reply")).singleElement()
                .extracting(TimelineEvent::staffUserId).isEqualTo(STAFF);
        assertThat(world.profile().activity().firstReplyAt()).isNotNull();
    }

    @Test
    void aMarkWhoseAnswerWasLostIsResentWithTheSameRequestIdAndCountedOnce() {
        // The network loses the answer to the first "customer replied": the server recorded it, the page never heard
        browser.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", """
                window.__markIds = [];
                window.__loseNextMark = true;
                var realFetch = window.fetch;
                window.fetch = function (url, options) {
                  var answer = realFetch(url, options);
                  if (String(url).indexOf('api/marks') < 0) { return answer; }
                  window.__markIds.push(JSON.parse(options.body).request_id);
                  if (!window.__loseNextMark) { return answer; }
                  window.__loseNextMark = false;
                  return answer.then(function () { throw new TypeError('Failed to fetch'); });
                };
                """));
        browser.get(server.baseUrl() + "/sidebar/?code=" + world.wecom.oauthCode(STAFF) + "&state=sidebar");
        awaitCss("body[data-ready='true']");

        browser.findElement(By.id("mark-replied")).click();
        awaitCondition(() -> browser.findElement(By.id("status")).getAttribute("class").contains("error"));
        assertThat(world.timeline()).filteredOn(e -> e.kind().equals("reply")).hasSize(1);
        browser.findElement(By.id("mark-replied")).click();
        awaitCondition(() -> browser.findElement(By.id("status")).getText().contains("Marked: customer replied"));

        List<?> sentIds = (List<?>) browser.executeScript("return window.__markIds;");
        assertThat(sentIds).hasSize(2);
        assertThat(sentIds.get(1)).isEqualTo(sentIds.get(0));
        assertThat(world.timeline()).filteredOn(e -> e.kind().equals("reply")).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("#timeline li[data-kind='reply']"))).hasSize(1);
    }

    @Test
    void aPageOpenedWithAUsedCodeSaysToOpenItAgainAndShowsNoCustomer() {
        String code = world.wecom.oauthCode(STAFF);
        world.wecom.oauthIdentity(code);

        browser.get(server.baseUrl() + "/sidebar/index.html?code=" + code);
        awaitCondition(() -> browser.findElement(By.id("status")).getAttribute("class").contains("error"));
        shot("6-used-code");

        assertThat(browser.findElement(By.id("status")).getText()).contains("open the sidebar again");
        assertThat(browser.findElement(By.id("sidebar")).isDisplayed()).isFalse();
    }

    private List<String> texts(String css) {
        return browser.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList();
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> wxCalls(String api) {
        List<Map<String, Object>> calls = (List<Map<String, Object>>) browser.executeScript("return window.__wxCalls;");
        return calls.stream().filter(c -> api.equals(c.get("api"))).map(c -> (Map<String, Object>) c.get("args")).toList();
    }

    private Map<?, ?> wxCall(String api) {
        List<Map<String, Object>> calls = wxCalls(api);
        assertThat(calls).as("wx." + api + " calls").hasSize(1);
        return calls.get(0);
    }

    private void awaitCss(String css) {
        awaitCondition(() -> !browser.findElements(By.cssSelector(css)).isEmpty());
    }

    private void awaitCondition(java.util.function.BooleanSupplier condition) {
        new WebDriverWait(browser, Duration.ofSeconds(15)).withMessage(() -> "page status: "
                + browser.findElement(By.id("status")).getText()).until(d -> condition.getAsBoolean());
    }

    private void shot(String name) {
        File png = browser.getScreenshotAs(OutputType.FILE);
        try {
            Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
