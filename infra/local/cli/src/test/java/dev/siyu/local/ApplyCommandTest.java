package dev.siyu.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.siyu.embedded.UsageException;
import dev.siyu.stack.aws.EmbeddedDynamoDb;
import dev.siyu.stack.wecom.WeComStub;
import dev.siyu.store.AwsClients;
import dev.siyu.store.SiyuTable;
import dev.siyu.store.StoreSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ./siyu apply against a "deployed" table and corp (DynamoDB Local, which keeps one database per region, and the stub standing in). */
class ApplyCommandTest {
    static final Path ROOT = Path.of("../../..").toAbsolutePath().normalize();
    static final Map<String, String> ENV = Map.of("SIYU_WECOM_CORP_ID", "wwrealcorp00000001", "SIYU_WECOM_SECRET", "real-secret",
            "SIYU_WECOM_TOKEN", "realToken", "SIYU_WECOM_AES_KEY", "903vJPcJOTT8dbgGEHT7ejKvECAtbfOr5QEo0snJCTY",
            "SIYU_WECOM_CONTACTS_SECRET", "real-contacts-secret");
    static EmbeddedDynamoDb dynamo;
    static WeComStub corp;
    /** CloudFormation's DescribeStacks for stack siyu-prod, deployed with TimeZone=Asia/Shanghai. */
    static HttpServer cloudFormation;
    static final List<String> AUTHORIZATIONS = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        dynamo = EmbeddedDynamoDb.start(0);
        corp = new WeComStub("wwrealcorp00000001", "real-secret").start(0)
                .withDirectory("real-contacts-secret", ROOT.resolve("config/local-directory.yaml"));
        cloudFormation = describeStacks("siyu-prod", "Asia/Shanghai");
        SiyuTable.createIfMissing(new AwsClients(StoreSettings.local("siyu-prod", "", dynamo.endpoint(), dynamo.endpoint()))
                .dynamoDb(), "siyu-prod");
    }

    @AfterAll
    static void stop() {
        corp.close();
        dynamo.close();
        cloudFormation.stop(0);
    }

    private String apply(Map<String, String> env, String... more) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = new java.util.ArrayList<>(List.of("--config", "config/scrm.example.yaml", "--region", "us-east-1",
                "--table", "siyu-prod", "--dynamodb", dynamo.endpoint().toString(), "--wecom-api-base-url", corp.baseUrl(),
                "--stack", "siyu-prod", "--cloudformation", "http://127.0.0.1:" + cloudFormation.getAddress().getPort()));
        args.addAll(List.of(more));
        int code = ApplyCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), ROOT, env);
        assertThat(code).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBlueprintInAnotherZoneThanTheStackIsRefusedNamingBothAndNothingIsStored() throws Exception {
        // beside its pictures, which a blueprint names relative to its directory
        Path dir = Files.createTempDirectory("tokyo");
        Files.createDirectory(dir.resolve("media"));
        try (var pictures = Files.list(ROOT.resolve("config/media"))) {
            for (Path p : pictures.toList()) {
                Files.copy(p, dir.resolve("media").resolve(p.getFileName()));
            }
        }
        Path tokyo = dir.resolve("tokyo.yaml");
        Files.writeString(tokyo, Files.readString(ROOT.resolve("config/scrm.example.yaml"))
                .replaceFirst("(?m)^timezone: Asia/Shanghai", "timezone: Asia/Tokyo"));
        int codesBefore = corp.calls("externalcontact/add_contact_way").size();

        assertThatThrownBy(() -> apply(ENV, "--config", tokyo.toString()))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("Asia/Tokyo").hasMessageContaining("Asia/Shanghai").hasMessageContaining("siyu-prod");
        assertThat(corp.calls("externalcontact/add_contact_way")).hasSize(codesBefore);
        // The zone came from the stack, through a signed DescribeStacks call.
        assertThat(AUTHORIZATIONS).isNotEmpty().allMatch(a -> a.startsWith("AWS4-HMAC-SHA256 Credential=local/"));

        assertThatThrownBy(() -> apply(ENV, "--config", tokyo.toString(), "--stack-time-zone", "Europe/Paris"))
                .hasMessageContaining("Asia/Tokyo").hasMessageContaining("Europe/Paris");
    }

    /** A copy of the example blueprint with its pictures, edited. */
    private static Path blueprintCopy(String name, java.util.function.UnaryOperator<String> edit) throws Exception {
        Path dir = Files.createTempDirectory(name);
        Files.createDirectory(dir.resolve("media"));
        try (var pictures = Files.list(ROOT.resolve("config/media"))) {
            for (Path p : pictures.toList()) {
                Files.copy(p, dir.resolve("media").resolve(p.getFileName()));
            }
        }
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, edit.apply(Files.readString(ROOT.resolve("config/scrm.example.yaml"))));
        return file;
    }

    @Test
    void anUnknownUseridStopsTheApplyAtItsLineAndNothingIsCreated() throws Exception {
        // GIVEN the example blueprint with one userid typed wrong
        Path typo = blueprintCopy("typo", y -> y.replaceFirst("(?m)^  - user_id: lisi$", "  - user_id: lisii"));
        List<String> lines = Files.readAllLines(typo);
        int line = lines.indexOf("  - user_id: lisii") + 1;
        int codesBefore = corp.calls("externalcontact/add_contact_way").size();

        // WHEN it is applied THEN the apply stops at that line, before any code is created
        assertThatThrownBy(() -> apply(ENV, "--config", typo.toString()))
                .isInstanceOfSatisfying(dev.siyu.core.config.ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    dev.siyu.core.config.ConfigProblem p = e.problems().get(0);
                    assertThat(p.line()).isEqualTo(line);
                    assertThat(p.column()).isEqualTo(14);
                    assertThat(p.path()).isEqualTo("staff[1].user_id");
                    assertThat(p.toString()).startsWith("typo.yaml:" + line + ":14: ")
                            .contains("unknown userid 'lisii'").contains("did you mean 'lisi'?");
                });
        assertThat(corp.calls("externalcontact/add_contact_way")).hasSize(codesBefore);
        // it was read with the contacts secret: the directory's three calls answered
        assertThat(corp.calls("user/list_id")).isNotEmpty().allSatisfy(c -> assertThat(c.errcode()).isZero());
    }

    @Test
    void aMemberWhoLeftStopsTheApplyAtTheirLine() throws Exception {
        Path blueprint = blueprintCopy("left", y -> y);
        corp.directory().member("wujiu", "Wu Jiu", dev.siyu.core.port.WeComApi.Member.LEFT, 6L);
        try {
            int line = Files.readAllLines(blueprint).indexOf("  - user_id: wujiu") + 1;
            assertThatThrownBy(() -> apply(ENV, "--config", blueprint.toString()))
                    .isInstanceOfSatisfying(dev.siyu.core.config.ConfigException.class, e ->
                            assertThat(e.problems()).singleElement().satisfies(p -> {
                                assertThat(p.line()).isEqualTo(line);
                                assertThat(p.message()).contains("has left the company (user/get status 5)");
                            }));
        } finally {
            corp.directory().member("wujiu", "Wu Jiu", dev.siyu.core.port.WeComApi.Member.ACTIVE, 6L);
        }
    }

    @Test
    void theAppSecretCannotReadTheDirectory() {
        // GIVEN the app's own secret given as the contacts secret
        Map<String, String> env = new java.util.HashMap<>(ENV);
        env.put("SIYU_WECOM_CONTACTS_SECRET", "real-secret");

        // THEN WeCom refuses the directory read (no privilege: the app sees no department) and nothing is applied
        assertThatThrownBy(() -> apply(env))
                .isInstanceOfSatisfying(dev.siyu.core.port.WeComApiException.class,
                        e -> assertThat(e.errcode()).isEqualTo(60011));
    }

    @Test
    void applyNeedsTheContactsSecret() {
        Map<String, String> env = new java.util.HashMap<>(ENV);
        env.remove("SIYU_WECOM_CONTACTS_SECRET");
        assertThatThrownBy(() -> apply(env)).isInstanceOf(UsageException.class)
                .hasMessageContaining("SIYU_WECOM_CONTACTS_SECRET");
    }

    @Test
    void aStackThatIsNotThereIsAClearError() {
        assertThatThrownBy(() -> apply(ENV, "--stack", "siyu-nope"))
                .isInstanceOf(UsageException.class).hasMessageContaining("siyu-nope").hasMessageContaining("400");
    }

    /** Answers DescribeStacks (CloudFormation's Query API, XML) for one stack, and 400 for any other. */
    static HttpServer describeStacks(String stack, String timeZone) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> {
                AUTHORIZATIONS.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
                String query = String.valueOf(exchange.getRequestURI().getQuery());
                boolean found = query.contains("Action=DescribeStacks") && query.contains("StackName=" + stack);
                String body = found ? """
                        <DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">
                          <DescribeStacksResult><Stacks><member>
                            <StackName>%s</StackName><StackStatus>UPDATE_COMPLETE</StackStatus>
                            <Parameters>
                              <member><ParameterKey>Stage</ParameterKey><ParameterValue>prod</ParameterValue></member>
                              <member><ParameterKey>TimeZone</ParameterKey><ParameterValue>%s</ParameterValue></member>
                            </Parameters>
                          </member></Stacks></DescribeStacksResult>
                        </DescribeStacksResponse>""".formatted(stack, timeZone)
                        : "<ErrorResponse><Error><Code>ValidationError</Code><Message>Stack with id " + query.replaceAll(".*StackName=", "")
                        + " does not exist</Message></Error></ErrorResponse>";
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(found ? 200 : 400, bytes.length);
                exchange.getResponseBody().write(bytes);
                exchange.close();
            });
            server.start();
            return server;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void applyingStoresTheNextVersionAndCreatesEachCodeOnce() {
        String first = apply(ENV);
        assertThat(first).contains("Staff: all 8 in WeCom's directory (10 members, 6 departments)")
                .contains("zhengshi  Zheng Shi  departments=Stores,Hangzhou stores");
        assertThat(first).contains("config version 1").contains("state=parcel_card_east").contains("state=in_store.hz01");
        assertThat(corp.calls("externalcontact/add_contact_way")).hasSize(4);
        // the blueprint's pictures: kept in the table for the functions, each uploaded once
        assertThat(first).contains("picture media/guide-card.png  media_id=").contains("picture media/sop-card.png");
        assertThat(corp.calls("media/upload")).as("five pictures in the example").hasSize(5)
                .allSatisfy(c -> assertThat(c.errcode()).isZero());

        String second = apply(ENV);
        assertThat(second).contains("config version 2");
        assertThat(corp.calls("externalcontact/add_contact_way")).as("printed QR codes stay valid").hasSize(4);
    }

    @Test
    void theLocalDefaultsNeverReachARealCorp() {
        assertThatThrownBy(() -> apply(Map.of("SIYU_WECOM_CORP_ID", "wwrealcorp00000001")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("SIYU_WECOM_SECRET").hasMessageContaining("SIYU_WECOM_TOKEN");
    }
}
