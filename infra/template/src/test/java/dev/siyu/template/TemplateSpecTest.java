package dev.siyu.template;

import static dev.siyu.template.TemplateEvaluator.list;
import static dev.siyu.template.TemplateEvaluator.map;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertAll;

import dev.siyu.core.engine.JobCatalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code template.yaml} against the CloudFormation resource specification (npm
 * {@code @aws-cdk/cfnspec} 2.72.1, spec v117, SAM types included), and the product facts the
 * template must keep. The checker itself is proven by broken templates that must be rejected.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TemplateSpecTest {

    /** The Lambda handler of a Funqy function on the managed Java runtime. */
    static final String FUNQY_HANDLER = "io.quarkus.funqy.lambda.FunqyStreamHandler::handleRequest";
    static final String FUNCTION = "WeComCallbackFunction";
    static final String WORKER = "JourneyWorkerFunction";
    static final String SCHEDULER = "SchedulerFunction";
    static final String SIDEBAR = "StaffSidebarFunction";
    static final String MINIAPP = "MiniappApiFunction";
    /** The scoring function: the JVM build on java25 in every variant (its booster is JNI), so not in FUNCTIONS. */
    static final String SCORING = "ScoringFunction";
    /** Every function of the template and the module (under functions/) that builds its artifacts. */
    static final Map<String, String> FUNCTIONS = Map.of(FUNCTION, "wecom-callback", WORKER, "journey-worker",
            SCHEDULER, "scheduler", SIDEBAR, "staff-sidebar", MINIAPP, "miniapp-api");
    static final Map<String, Integer> TIMEOUTS = Map.of(FUNCTION, 6, WORKER, 30, SCHEDULER, 300, SIDEBAR, 10,
            MINIAPP, 6);
    static final Map<String, String> ZIPS = Map.of("java25-snapstart", "function.zip", "aot-provided", "function-aot.zip",
            "native", "function-native.zip");

    CfnSpec spec;
    String templateText;
    Map<String, Object> template;

    @BeforeAll
    void load() throws IOException {
        spec = CfnSpecFixture.spec();
        templateText = Files.readString(CfnSpecFixture.TEMPLATE, StandardCharsets.UTF_8);
        template = CfnYaml.load(templateText);
    }

    List<String> check(Map<String, Object> tpl) {
        return new TemplateChecker(spec).check(tpl);
    }

    // ------------------------------------------------------------------ the template against the spec

    @Test
    void specIsTheCloudFormationSpecWithSamTypes() {
        assertThat(spec.version()).isEqualTo("117.0.0");
        assertThat(spec.resourceTypeNames()).contains("AWS::Serverless::Function", "AWS::Serverless::HttpApi",
                "AWS::Lambda::Function", "AWS::DynamoDB::Table", "AWS::SQS::Queue", "AWS::Logs::LogGroup");
    }

    @Test
    void templateConformsToTheSpec() {
        TemplateChecker checker = new TemplateChecker(spec);
        List<String> errors = checker.check(template);
        assertThat(errors).as("problems in %s", CfnSpecFixture.TEMPLATE).isEmpty();
        // Not vacuous: the walk compared a good part of the template with the spec.
        assertThat(checker.checkedProperties()).isGreaterThan(60);
    }

    @Test
    void aSmallBrokenTemplateIsRejectedWithEveryExpectedError() {
        Map<String, Object> broken = CfnYaml.load("""
                AWSTemplateFormatVersion: '2010-09-09'
                Transform: AWS::Serverless-2016-10-31
                Parameters:
                  Mode:
                    Type: String
                    Default: loud
                    AllowedValues: [quiet, normal]
                Conditions:
                  IsQuiet: !Equals [!Ref Mode, quiet]
                Resources:
                  Table:
                    Type: AWS::DynamoDB::Table
                    Properties:
                      BillingMod: PAY_PER_REQUEST
                      TimeToLiveSpecification:
                        AttributeNam: expires_at
                        Enabled: true
                  Queue:
                    Type: AWS::SQS::Queues
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Runtime: java25
                      Handler: x
                      MemorySize: big
                      Environment:
                        Variables:
                          TABLE: !Ref Tabel
                          ARN: !GetAtt Table.Arm
                          URL: !Sub https://${Missing}.example/${!Literal}/${AWS::Region}/${Table}/${Table.Arn}
                          MODE: !If [IsLoud, a, b]
                      Events:
                        Get:
                          Type: HttpAPI
                          Properties: {}
                Outputs:
                  Out:
                    Value: !GetAtt Ghost.Arn
                """);
        List<String> errors = check(broken);
        List<String> expected = List.of(
                "Parameters.Mode: Default 'loud' is not one of AllowedValues [quiet, normal]",
                "Resources.Table.Properties.BillingMod: unknown property 'BillingMod' of AWS::DynamoDB::Table (did you mean 'BillingMode'?)",
                "Resources.Table.Properties.TimeToLiveSpecification.AttributeNam: unknown property 'AttributeNam' of AWS::DynamoDB::Table.TimeToLiveSpecification (did you mean 'AttributeName'?)",
                "Resources.Table.Properties.TimeToLiveSpecification: missing required property 'AttributeName' of AWS::DynamoDB::Table.TimeToLiveSpecification",
                "Resources.Table.Properties: missing required property 'KeySchema' of AWS::DynamoDB::Table",
                "Resources.Queue.Type: unknown resource type 'AWS::SQS::Queues' (did you mean 'AWS::SQS::Queue'?)",
                "Resources.Fn.Properties.MemorySize: expected Integer, got 'big'",
                "Resources.Fn.Properties.Events.Get.Type: unknown event source type 'HttpAPI' (did you mean 'HttpApi'?)",
                "Resources.Fn.Properties: missing required property 'CodeUri' (or InlineCode) of AWS::Serverless::Function, neither on the function nor in Globals.Function",
                "Resources.Fn.Properties.Environment.Variables.TABLE.Ref: Ref to 'Tabel': no parameter, resource or pseudo parameter has that name (did you mean 'Table'?)",
                "Resources.Fn.Properties.Environment.Variables.ARN.Fn::GetAtt: Fn::GetAtt Table.Arm: AWS::DynamoDB::Table has no attribute 'Arm'; it has [Arn, StreamArn]",
                "Resources.Fn.Properties.Environment.Variables.URL.Fn::Sub: ${Missing} in Fn::Sub: no parameter, resource or pseudo parameter has that name",
                "Resources.Fn.Properties.Environment.Variables.MODE.Fn::If: unknown condition 'IsLoud' in Fn::If",
                "Outputs.Out.Value.Fn::GetAtt: Fn::GetAtt on 'Ghost', which is not a resource of this template");
        assertThat(errors).containsExactlyInAnyOrderElementsOf(expected);
    }

    static Stream<Arguments> mutations() {
        return Stream.of(
                Arguments.of("BillingMode: PAY_PER_REQUEST", "BilingMode: PAY_PER_REQUEST",
                        "Resources.SiyuTable.Properties.BilingMode: unknown property 'BilingMode' of AWS::DynamoDB::Table (did you mean 'BillingMode'?)"),
                Arguments.of("AttributeName: expires_at", "AttributeNme: expires_at",
                        "Resources.SiyuTable.Properties.TimeToLiveSpecification: missing required property 'AttributeName' of AWS::DynamoDB::Table.TimeToLiveSpecification"),
                Arguments.of("JourneyDeadLetterQueue:\n    Type: AWS::SQS::Queue", "JourneyDeadLetterQueue:\n    Type: AWS::SQS::Queu",
                        "Resources.JourneyDeadLetterQueue.Type: unknown resource type 'AWS::SQS::Queu'"),
                Arguments.of("SIYU_JOURNEY_QUEUE_URL: !Ref JourneyQueue", "SIYU_JOURNEY_QUEUE_URL: !Ref JourneyQueues",
                        "Ref to 'JourneyQueues': no parameter, resource or pseudo parameter has that name"),
                Arguments.of("Resource: !GetAtt SiyuTable.Arn", "Resource: !GetAtt SiyuTable.TableArn",
                        "Fn::GetAtt SiyuTable.TableArn: AWS::DynamoDB::Table has no attribute 'TableArn'"),
                Arguments.of("https://${CallbackApi}.execute-api", "https://${CallbackAPI}.execute-api",
                        "${CallbackAPI} in Fn::Sub: no parameter, resource or pseudo parameter has that name"),
                Arguments.of("${AWS::URLSuffix}", "${AWS::UrlSuffix}",
                        "${AWS::UrlSuffix} in Fn::Sub is no pseudo parameter"),
                Arguments.of("!If [IsProd, true, false]", "!If [IsProduction, true, false]",
                        "unknown condition 'IsProduction' in Fn::If"),
                Arguments.of("Default: INFO", "Default: VERBOSE",
                        "Parameters.LogLevel: Default 'VERBOSE' is not one of AllowedValues"),
                Arguments.of("Default: demo-brand", "Default: Demo_Brand",
                        "Parameters.TenantId: Default 'Demo_Brand' does not match AllowedPattern"),
                Arguments.of("      CodeUri: !If", "      CodeUrl: !If",
                        "Resources.WeComCallbackFunction.Properties: missing required property 'CodeUri' (or InlineCode)"),
                Arguments.of("    Handler: !If", "    Handlers: !If",
                        "Resources.WeComCallbackFunction.Properties: missing required property 'Handler' of a zip AWS::Serverless::Function"),
                Arguments.of("      ApplyOn: !If", "      ApplyOnn: !If",
                        "Globals.Function.SnapStart: missing required property 'ApplyOn' of AWS::Lambda::Function.SnapStart"),
                Arguments.of("    SnapStart:\n", "    SnapStrat:\n",
                        "Globals.Function.SnapStrat: unknown property 'SnapStrat' of AWS::Serverless::Function (did you mean 'SnapStart'?)"),
                Arguments.of("Type: HttpApi\n", "Type: HttpAPI\n",
                        "unknown event source type 'HttpAPI' (did you mean 'HttpApi'?)"),
                Arguments.of("Method: GET", "Methd: GET",
                        "unknown property 'Methd' of AWS::Serverless::Function.HttpApiEvent (did you mean 'Method'?)"),
                Arguments.of("MemorySize: 1024", "MemorySize: 1GB",
                        "Globals.Function.MemorySize: expected Integer, got '1GB'"),
                Arguments.of("RetentionInDays: 30", "RetentionDays: 30",
                        "unknown property 'RetentionDays' of AWS::Logs::LogGroup (did you mean 'RetentionInDays'?)"),
                Arguments.of("Value: !Ref WeComCallbackFunction.Alias", "Value: !GetAtt WeComCallbackFunction.Alias",
                        "(SAM names WeComCallbackFunction.Alias for !Ref, not for !GetAtt)"),
                Arguments.of("    AutoPublishAlias: live\n", "    AutoPublishAlias: live\n    Events: {}\n",
                        "Globals.Function: SAM does not support 'Events' in Globals.Function; set it on each resource"),
                Arguments.of("AutoPublishAliasAllProperties: true", "AutoPublishAliasAllProperties: always",
                        "Globals.Function.AutoPublishAliasAllProperties: expected Boolean, got 'always'"),
                Arguments.of("IsNative: !Equals [!Ref DeploymentVariant, native]", "IsNative: !Equals [!Ref Variant, native]",
                        "Conditions.IsNative.Fn::Equals[0]: Ref to 'Variant': a condition may only refer to parameters"),
                Arguments.of("DeletionPolicy: Retain", "DeletionPolicy: Keep",
                        "Resources.SiyuTable.DeletionPolicy: must be one of"),
                Arguments.of("SecretString:token}}", "SecretToken:token}}",
                        "a secretsmanager dynamic reference reads <secret-id>:SecretString:<json-key>"),
                Arguments.of("      FunctionResponseTypes:", "      FunctionResponseType:",
                        "unknown property 'FunctionResponseType' of AWS::Lambda::EventSourceMapping (did you mean 'FunctionResponseTypes'?)"),
                Arguments.of("      BatchSize: 10", "      BatchSize: ten",
                        "Resources.JourneyWorkerQueueSource.Properties.BatchSize: expected Integer, got 'ten'"),
                Arguments.of("MaximumConcurrency: 10", "MaxConcurrency: 10",
                        "unknown property 'MaxConcurrency' of AWS::Lambda::EventSourceMapping.ScalingConfig"),
                Arguments.of("FunctionName: !Ref JourneyWorkerFunction.Alias", "FunctionName: !Ref JourneyWorker.Alias",
                        "Ref to 'JourneyWorker.Alias'"),
                Arguments.of("EventSourceArn: !GetAtt JourneyQueue.Arn", "EventSourceArn: !GetAtt JourneyQueue.QueueArn",
                        "AWS::SQS::Queue has no attribute 'QueueArn'"),
                Arguments.of("      EventSourceArn: !GetAtt", "      EventSource: !GetAtt",
                        "unknown property 'EventSource' of AWS::Lambda::EventSourceMapping"),
                Arguments.of("            ScheduleExpression: rate(1 minute)", "            ScheduleExpresion: rate(1 minute)",
                        "unknown property 'ScheduleExpresion' of a ScheduleV2 event source (did you mean 'ScheduleExpression'?)"),
                Arguments.of("Type: ScheduleV2\n", "Type: ScheduleV3\n",
                        "unknown event source type 'ScheduleV3' (did you mean 'ScheduleV2'?)"),
                Arguments.of("${JourneyWorkerFunction}", "${JourneyWorkerFunctions}",
                        "${JourneyWorkerFunctions} in Fn::Sub: no parameter, resource or pseudo parameter has that name"),
                Arguments.of("Value: !Ref SchedulerFunction.Alias", "Value: !Ref SchedulerFunction.Aliases",
                        "Ref to 'SchedulerFunction.Aliases'"),
                // trusted egress: its resources exist only when TrustedEgress is true
                Arguments.of("  EgressIp:\n    Condition: HasTrustedEgress\n    Description", "  EgressIp:\n    Description",
                        "Outputs.EgressIp.Value: 'EgressIp' exists only when HasTrustedEgress holds"),
                Arguments.of("  EgressNatGateway:\n    Type: AWS::EC2::NatGateway\n    Condition: HasTrustedEgress\n",
                        "  EgressNatGateway:\n    Type: AWS::EC2::NatGateway\n",
                        "Resources.EgressNatGateway.Properties.AllocationId: 'EgressIp' exists only when HasTrustedEgress"),
                Arguments.of("      - HasTrustedEgress\n      - SecurityGroupIds", "      - IsProd\n      - SecurityGroupIds",
                        "'EgressFunctionSecurityGroup' exists only when HasTrustedEgress holds"),
                Arguments.of("NatGatewayId: !Ref EgressNatGateway", "NatGatewayId: !Ref EgressNatGateways",
                        "Ref to 'EgressNatGateways'"),
                Arguments.of("VpcEndpointType: Gateway", "VpcEndpointTyp: Gateway",
                        "unknown property 'VpcEndpointTyp' of AWS::EC2::VPCEndpoint (did you mean 'VpcEndpointType'?)"),
                Arguments.of("AllocationId: !GetAtt EgressIp.AllocationId", "AllocationId: !GetAtt EgressIp.Allocation",
                        "AWS::EC2::EIP has no attribute 'Allocation'"));
    }

    /** Each mistake made in the real template (not a toy one) is reported. */
    @ParameterizedTest(name = "{1}")
    @MethodSource("mutations")
    void aMistakeInTheRealTemplateIsReported(String from, String to, String expected) {
        assertThat(templateText).as("the mutation must apply to the current template").contains(from);
        List<String> errors = check(CfnYaml.load(templateText.replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to))));
        assertThat(errors).anySatisfy(e -> assertThat(e).contains(expected));
    }

    // ------------------------------------------------------------------ product facts


    Map<String, Object> resource(String id) {
        Map<String, Object> resource = map(map(template.get("Resources")).get(id));
        assertThat(resource).as("resource %s", id).isNotEmpty();
        return resource;
    }

    Map<String, Object> properties(String id) {
        return map(resource(id).get("Properties"));
    }

    /** A function as deployed for a variant: Globals merged, conditions resolved. */
    Map<String, Object> function(String id, Map<String, String> parameters) {
        Map<String, Object> effective = TemplateEvaluator.withGlobals(template, "AWS::Serverless::Function",
                properties(id));
        return map(TemplateEvaluator.of(template, parameters).resolveIfs(effective));
    }

    Map<String, Object> callbackFunction(Map<String, String> parameters) {
        return function(FUNCTION, parameters);
    }

    @Test
    void theTemplateHasExactlyTheVariantFunctionsAndTheScoringFunction() {
        List<String> functions = new ArrayList<>();
        map(template.get("Resources")).forEach((id, r) -> {
            if ("AWS::Serverless::Function".equals(map(r).get("Type"))) {
                functions.add(id);
            }
        });
        List<String> expected = new ArrayList<>(FUNCTIONS.keySet());
        expected.add(SCORING);
        assertThat(functions).containsExactlyInAnyOrderElementsOf(expected);
    }

    /**
     * The scoring function (issue 13): the JVM zip on java25 with SnapStart whatever the variant (its booster is a
     * JNI library), more memory and time than the others for training and a tenant's nightly pass, the model bucket
     * named in its environment.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"java25-snapstart", "aot-provided", "native"})
    void theScoringFunctionIsTheJvmBuildOnJava25InEveryVariant(String variant) {
        Map<String, Object> fn = function(SCORING, Map.of("DeploymentVariant", variant));
        Map<String, Object> env = map(map(fn.get("Environment")).get("Variables"));
        assertAll(
                () -> assertThat(fn.get("Runtime")).isEqualTo("java25"),
                () -> assertThat(fn.get("Handler")).isEqualTo(FUNQY_HANDLER),
                () -> assertThat(fn.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions")),
                () -> assertThat(fn.get("AutoPublishAlias")).isEqualTo("live"),
                () -> assertThat(fn.get("CodeUri")).isEqualTo("functions/scoring/target/function.zip"),
                () -> assertThat(fn.get("Architectures")).isEqualTo(List.of("x86_64")),
                () -> assertThat(fn.get("MemorySize")).isEqualTo(2048),
                () -> assertThat(fn.get("Timeout")).isEqualTo(900),
                () -> assertThat(env).containsEntry("SIYU_SCORING_MODEL_BUCKET", ref("ModelBucket"))
                        .containsEntry("SIYU_TABLE", ref("SiyuTable")).containsEntry("SIYU_TENANT", ref("TenantId"))
                        .containsEntry("SIYU_JOURNEY_QUEUE_URL", ref("JourneyQueue"))
                        .containsEntry("JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"));
        assertThat(map(map(template.get("Outputs")).get("ScoringFunctionAlias")).get("Value"))
                .isEqualTo(ref(SCORING + ".Alias"));
    }

    /** The admin routes reach the scoring function only through the admin API, whose every route is IAM-authorized. */
    @Test
    void theAdminApiServesTheScoringRoutesToIamSignedRequestsOnly() {
        assertThat(resource("AdminApi").get("Type")).isEqualTo("AWS::Serverless::HttpApi");
        assertThat(map(properties("AdminApi").get("Auth")))
                .isEqualTo(Map.of("EnableIamAuthorizer", true, "DefaultAuthorizer", "AWS_IAM"));
        List<String> routes = new ArrayList<>();
        map(properties(SCORING).get("Events")).values().forEach(e -> {
            if (!"HttpApi".equals(map(e).get("Type"))) {
                return;
            }
            Map<String, Object> p = map(map(e).get("Properties"));
            assertThat(p.get("ApiId")).isEqualTo(ref("AdminApi"));
            assertThat(p.get("PayloadFormatVersion")).isEqualTo("2.0");
            // No route may opt out of the API's IAM authorizer.
            assertThat(p).doesNotContainKey("Auth");
            routes.add(p.get("Method") + " " + p.get("Path"));
        });
        assertThat(routes).containsExactlyInAnyOrder("POST /admin/customers/{customerId}/score", "POST /admin/scoring/train");
        // Nothing else is on the admin API.
        map(template.get("Resources")).forEach((id, r) -> {
            if (!id.equals(SCORING) && "AWS::Serverless::Function".equals(map(r).get("Type"))) {
                map(map(map(r).get("Properties")).get("Events")).values().forEach(e -> assertThat(
                        map(map(e).getOrDefault("Properties", Map.of())).get("ApiId")).as(id).isNotEqualTo(ref("AdminApi")));
            }
        });
        assertThat(map(map(template.get("Outputs")).get("AdminApiUrl")).get("Value")).isEqualTo(Map.of("Fn::Sub",
                "https://${AdminApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"));
    }

    /** The models' bucket: encrypted, never public, versioned, retained, TLS only. */
    @Test
    void theModelBucketIsEncryptedPrivateVersionedAndTlsOnly() {
        Map<String, Object> bucket = resource("ModelBucket");
        Map<String, Object> p = map(bucket.get("Properties"));
        assertAll(
                () -> assertThat(bucket.get("Type")).isEqualTo("AWS::S3::Bucket"),
                () -> assertThat(bucket.get("DeletionPolicy")).isEqualTo("Retain"),
                () -> assertThat(p.get("BucketEncryption")).isEqualTo(Map.of("ServerSideEncryptionConfiguration",
                        List.of(Map.of("ServerSideEncryptionByDefault", Map.of("SSEAlgorithm", "AES256"))))),
                () -> assertThat(p.get("PublicAccessBlockConfiguration")).isEqualTo(Map.of("BlockPublicAcls", true,
                        "BlockPublicPolicy", true, "IgnorePublicAcls", true, "RestrictPublicBuckets", true)),
                () -> assertThat(p.get("VersioningConfiguration")).isEqualTo(Map.of("Status", "Enabled")),
                () -> assertThat(p.get("OwnershipControls"))
                        .isEqualTo(Map.of("Rules", List.of(Map.of("ObjectOwnership", "BucketOwnerEnforced")))));
        Map<String, Object> policy = properties("ModelBucketPolicy");
        assertThat(policy.get("Bucket")).isEqualTo(ref("ModelBucket"));
        Map<String, Object> deny = map(list(map(policy.get("PolicyDocument")).get("Statement")).get(0));
        assertThat(deny).containsEntry("Effect", "Deny").containsEntry("Action", "s3:*")
                .containsEntry("Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false")));
    }

    @Test
    void miniappApiFunctionServesTheIngestRoutesOnItsOwnApi() {
        assertThat(resource("MiniappApi").get("Type")).isEqualTo("AWS::Serverless::HttpApi");
        List<String> routes = new ArrayList<>();
        map(properties(MINIAPP).get("Events")).values().forEach(e -> {
            Map<String, Object> p = map(map(e).get("Properties"));
            assertThat(p.get("ApiId")).isEqualTo(Map.of("Ref", "MiniappApi"));
            assertThat(p.get("PayloadFormatVersion")).isEqualTo("2.0");
            routes.add(p.get("Method") + " " + p.get("Path"));
        });
        assertThat(routes).containsExactlyInAnyOrder("POST /ingest/orders", "POST /ingest/events",
                "ANY /miniapp/{proxy+}");
        Map<String, Object> env = map(map(properties(MINIAPP).get("Environment")).get("Variables"));
        assertThat(env.get("SIYU_INGEST_SECRETS")).isEqualTo(Map.of("Fn::Sub",
                "{{resolve:secretsmanager:${IngestSecretArn}:SecretString:sources}}"));
        assertThat(map(map(template.get("Parameters")).get("IngestSecretArn"))).doesNotContainKey("Default");
        // The staff check-in signs staff in as the sidebar does (WeCom's OAuth), under a session key of its own.
        assertThat(env.get("SIYU_CHECKIN_SESSION_KEY")).isEqualTo(Map.of("Fn::Sub",
                "{{resolve:secretsmanager:${WeComSecretArn}:SecretString:checkinSessionKey}}"));
        assertThat(env).containsKeys("SIYU_WECOM_CORP_ID", "SIYU_WECOM_SECRET");
    }

    @Test
    void callbackFunctionServesGetAndPostOnTheCallbackApi() {
        assertThat(resource("CallbackApi").get("Type")).isEqualTo("AWS::Serverless::HttpApi");
        List<String> routes = new ArrayList<>();
        map(properties(FUNCTION).get("Events")).values().forEach(e -> {
            Map<String, Object> event = map(e);
            Map<String, Object> p = map(event.get("Properties"));
            assertThat(event.get("Type")).isEqualTo("HttpApi");
            assertThat(p.get("ApiId")).isEqualTo(Map.of("Ref", "CallbackApi"));
            assertThat(p.getOrDefault("PayloadFormatVersion", "2.0")).isEqualTo("2.0");
            routes.add(p.get("Method") + " " + p.get("Path"));
        });
        assertThat(routes).containsExactlyInAnyOrder("GET /wecom/callback", "POST /wecom/callback");
    }

    @Test
    void theSidebarServesItsPageAndPostsItsRoutesOnTheCallbackApi() {
        List<String> routes = new ArrayList<>();
        map(properties(SIDEBAR).get("Events")).values().forEach(e -> {
            Map<String, Object> p = map(map(e).get("Properties"));
            assertThat(map(e).get("Type")).isEqualTo("HttpApi");
            assertThat(p.get("ApiId")).isEqualTo(Map.of("Ref", "CallbackApi"));
            assertThat(p.get("PayloadFormatVersion")).isEqualTo("2.0");
            routes.add(p.get("Method") + " " + p.get("Path"));
        });
        assertThat(routes).containsExactlyInAnyOrder("GET /sidebar", "GET /sidebar/{proxy+}",
                "POST /sidebar/api/{proxy+}");
        assertThat(map(map(template.get("Outputs")).get("SidebarUrl")).get("Value")).isEqualTo(Map.of("Fn::Sub",
                "https://${CallbackApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/sidebar/index.html"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functionIds")
    void defaultVariantIsJava25WithSnapStartAndTheFunqyHandler(String id) {
        assertThat(map(map(template.get("Parameters")).get("DeploymentVariant")).get("Default"))
                .isEqualTo("java25-snapstart");
        Map<String, Object> fn = function(id, Map.of());
        assertAll(
                () -> assertThat(fn.get("Runtime")).isEqualTo("java25"),
                () -> assertThat(fn.get("Handler")).isEqualTo(FUNQY_HANDLER),
                () -> assertThat(fn.get("SnapStart")).isEqualTo(Map.of("ApplyOn", "PublishedVersions")),
                () -> assertThat(fn.get("AutoPublishAlias")).isEqualTo("live"),
                () -> assertThat(fn.get("CodeUri")).isEqualTo("functions/" + FUNCTIONS.get(id) + "/target/function.zip"),
                () -> assertThat(fn.get("Architectures")).isEqualTo(List.of("x86_64")),
                () -> assertThat(fn.get("MemorySize")).isEqualTo(1024),
                () -> assertThat(fn.get("Timeout")).isEqualTo(TIMEOUTS.get(id)),
                () -> assertThat(map(map(fn.get("Environment")).get("Variables")).get("JAVA_TOOL_OPTIONS"))
                        .isEqualTo("-XX:+TieredCompilation -XX:TieredStopAtLevel=1"));
    }

    static Stream<String> functionIds() {
        return FUNCTIONS.keySet().stream().sorted();
    }

    static Stream<Arguments> variantsOfEachFunction() {
        List<Arguments> all = new ArrayList<>();
        for (String id : FUNCTIONS.keySet().stream().sorted().toList()) {
            all.add(Arguments.of(id, "java25-snapstart", "java25", FUNQY_HANDLER, "PublishedVersions"));
            all.add(Arguments.of(id, "aot-provided", "provided.al2023", "bootstrap", "None"));
            all.add(Arguments.of(id, "native", "provided.al2023", "bootstrap", "None"));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("variantsOfEachFunction")
    void eachVariantGetsItsRuntimeHandlerSnapStartAndArtifact(String id, String variant, String runtime, String handler,
                                                               String applyOn) {
        Map<String, Object> fn = function(id, Map.of("DeploymentVariant", variant));
        Map<String, Object> env = map(map(fn.get("Environment")).get("Variables"));
        assertAll(
                () -> assertThat(fn.get("Runtime")).isEqualTo(runtime),
                () -> assertThat(fn.get("Handler")).isEqualTo(handler),
                () -> assertThat(fn.get("SnapStart")).isEqualTo(Map.of("ApplyOn", applyOn)),
                () -> assertThat(fn.get("CodeUri")).isEqualTo("functions/" + FUNCTIONS.get(id) + "/target/" + ZIPS.get(variant)),
                () -> assertThat(env.containsKey("JAVA_TOOL_OPTIONS")).isEqualTo(variant.startsWith("java")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functionIds")
    void functionEnvironmentNamesTheTableQueueTenantAndLogLevel(String id) {
        Map<String, Object> env = map(map(function(id, Map.of()).get("Environment")).get("Variables"));
        assertThat(env).containsEntry("SIYU_TABLE", Map.of("Ref", "SiyuTable"))
                .containsEntry("SIYU_JOURNEY_QUEUE_URL", Map.of("Ref", "JourneyQueue"))
                .containsEntry("SIYU_TENANT", Map.of("Ref", "TenantId"))
                .containsEntry("QUARKUS_LOG_LEVEL", Map.of("Ref", "LogLevel"));
        assertThat(map(map(template.get("Parameters")).get("TenantId")).get("Default")).isEqualTo("demo-brand");
    }

    @Test
    void wecomSecretsArriveOnlyAsDynamicReferences() {
        Map<String, String> callbackKeys = Map.of("SIYU_WECOM_CORP_ID", "corpId", "SIYU_WECOM_TOKEN", "token",
                "SIYU_WECOM_AES_KEY", "aesKey", "SIYU_WECOM_SECRET", "secret");
        // The worker and the scheduler call the WeCom API but never verify a callback: no token, no AES key.
        Map<String, String> apiKeys = Map.of("SIYU_WECOM_CORP_ID", "corpId", "SIYU_WECOM_SECRET", "secret");
        // The sidebar also signs its own session tokens, with a key kept in the same secret.
        Map<String, String> sidebarKeys = Map.of("SIYU_WECOM_CORP_ID", "corpId", "SIYU_WECOM_SECRET", "secret",
                "SIYU_SIDEBAR_SESSION_KEY", "sidebarSessionKey");
        // The scheduler alone reads the directory: the contacts secret, from a secret of its own when one is given.
        String contacts = "SIYU_WECOM_CONTACTS_SECRET";
        Map.of(FUNCTION, callbackKeys, WORKER, apiKeys, SCHEDULER, apiKeys, SIDEBAR, sidebarKeys).forEach((id, keys) -> {
            Map<String, Object> env = map(map(properties(id).get("Environment")).get("Variables"));
            java.util.Set<String> expected = new java.util.HashSet<>(keys.keySet());
            if (id.equals(WORKER)) {
                // The worker sends a journey step as a Mini Program subscription message: the app secret, nothing more.
                expected.add("SIYU_MINIAPP_SECRET");
                assertThat(env.get("SIYU_MINIAPP_SECRET")).isEqualTo(Map.of("Fn::Sub",
                        "{{resolve:secretsmanager:${MiniProgramSecretArn}:SecretString:appSecret}}"));
            }
            if (id.equals(SCHEDULER)) {
                expected.add(contacts);
                assertThat(env.get(contacts)).isEqualTo(Map.of("Fn::If", List.of("HasContactsSecret",
                        Map.of("Fn::Sub", "{{resolve:secretsmanager:${WeComContactsSecretArn}:SecretString:secret}}"),
                        Map.of("Ref", "AWS::NoValue"))));
            } else {
                assertThat(env).as(id).doesNotContainKey(contacts);
            }
            if (id.equals(WORKER)) {
                // Journey steps may go as Mini Program subscription messages: the worker calls subscribeMessage.send.
                expected.add("SIYU_MINIAPP_SECRET");
                assertThat(env.get("SIYU_MINIAPP_SECRET")).isEqualTo(Map.of("Fn::Sub",
                        "{{resolve:secretsmanager:${MiniProgramSecretArn}:SecretString:appSecret}}"));
            }
            assertThat(env.entrySet().stream().filter(e -> String.valueOf(e.getValue()).contains("resolve:secretsmanager"))
                    .map(Map.Entry::getKey)).as(id).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(env.keySet().stream().filter(v -> v.matches("SIYU_WECOM_(TOKEN|AES_KEY|SECRET|CORP_ID)")
                    || v.equals("SIYU_SIDEBAR_SESSION_KEY"))).as(id).containsExactlyInAnyOrderElementsOf(keys.keySet());
            keys.forEach((variable, jsonKey) -> assertThat(env.get(variable)).as(id + " " + variable)
                    .isEqualTo(Map.of("Fn::Sub", "{{resolve:secretsmanager:${WeComSecretArn}:SecretString:" + jsonKey + "}}")));
        });
        // The secret's values are never parameters: the only secret-like parameter is the ARN.
        map(template.get("Parameters")).forEach((name, definition) -> {
            if (name.matches("(?i).*(secret|token|aes|password|key).*")) {
                assertThat(name).isIn("WeComSecretArn", "WeComContactsSecretArn", "IngestSecretArn",
                        "MiniProgramSecretArn");
            }
            assertThat(map(definition)).doesNotContainKey("NoEcho");
        });
        assertThat(map(map(template.get("Parameters")).get("WeComSecretArn"))).doesNotContainKey("Default");
        // ... and no function needs Secrets Manager access at run time.
        FUNCTIONS.keySet().forEach(id ->
                assertThat(PolicyAudit.actions(template, id)).as(id).noneMatch(a -> a.startsWith("secretsmanager:")));
        assertThat(PolicyAudit.actions(template, SCORING)).noneMatch(a -> a.startsWith("secretsmanager:"));
    }

    @Test
    void theWorkerAndSchedulerNameTheAgentAndTheMiniProgramFromParameters() {
        Map<String, Object> parameters = map(template.get("Parameters"));
        assertThat(map(parameters.get("WeComAgentId"))).containsEntry("Default", "");
        assertThat(map(parameters.get("MiniProgramAppId"))).containsEntry("Default", "");
        assertThat("1000002").matches((String) map(parameters.get("WeComAgentId")).get("AllowedPattern"));
        assertThat("wx0123456789abcdef").matches((String) map(parameters.get("MiniProgramAppId")).get("AllowedPattern"));
        for (String id : List.of(WORKER, SCHEDULER)) {
            Map<String, Object> env = map(map(properties(id).get("Environment")).get("Variables"));
            assertThat(env).as(id).containsEntry("SIYU_WECOM_AGENT_ID", Map.of("Ref", "WeComAgentId"))
                    .containsEntry("SIYU_MINIAPP_APP_ID", Map.of("Ref", "MiniProgramAppId"));
        }
    }

    @Test
    void tableIsOnDemandRetainedRecoverableAndExpiresItems() {
        Map<String, Object> table = resource("SiyuTable");
        Map<String, Object> p = map(table.get("Properties"));
        assertAll(
                () -> assertThat(table.get("Type")).isEqualTo("AWS::DynamoDB::Table"),
                () -> assertThat(table.get("DeletionPolicy")).isEqualTo("Retain"),
                () -> assertThat(table.get("UpdateReplacePolicy")).isEqualTo("Retain"),
                () -> assertThat(p.get("BillingMode")).isEqualTo("PAY_PER_REQUEST"),
                () -> assertThat(p.get("KeySchema")).isEqualTo(List.of(
                        Map.of("AttributeName", "pk", "KeyType", "HASH"),
                        Map.of("AttributeName", "sk", "KeyType", "RANGE"))),
                () -> assertThat(p.get("AttributeDefinitions")).isEqualTo(List.of(
                        Map.of("AttributeName", "pk", "AttributeType", "S"),
                        Map.of("AttributeName", "sk", "AttributeType", "S"),
                        Map.of("AttributeName", "scan_pk", "AttributeType", "S"),
                        Map.of("AttributeName", "scan_sk", "AttributeType", "S"))),
                // the profiles index the daily jobs read instead of a Scan (SiyuTable.PROFILES_INDEX)
                () -> assertThat(p.get("GlobalSecondaryIndexes")).isEqualTo(List.of(Map.of("IndexName", "profiles",
                        "KeySchema", List.of(Map.of("AttributeName", "scan_pk", "KeyType", "HASH"),
                                Map.of("AttributeName", "scan_sk", "KeyType", "RANGE")),
                        "Projection", Map.of("ProjectionType", "KEYS_ONLY")))),
                () -> assertThat(p.get("TimeToLiveSpecification"))
                        .isEqualTo(Map.of("AttributeName", "expires_at", "Enabled", true)),
                () -> assertThat(p.get("PointInTimeRecoverySpecification"))
                        .isEqualTo(Map.of("PointInTimeRecoveryEnabled", true)),
                () -> assertThat(map(p.get("SSESpecification")).get("SSEEnabled")).isEqualTo(true));
    }

    @Test
    void journeyQueueRedrivesToTheDeadLetterQueueAfterFiveReceives() {
        Map<String, Object> queue = properties("JourneyQueue");
        assertThat(resource("JourneyDeadLetterQueue").get("Type")).isEqualTo("AWS::SQS::Queue");
        assertThat(map(queue.get("RedrivePolicy")))
                .containsEntry("deadLetterTargetArn", Map.of("Fn::GetAtt", List.of("JourneyDeadLetterQueue", "Arn")))
                .containsEntry("maxReceiveCount", 5);
        assertThat(queue).containsEntry("SqsManagedSseEnabled", true);
        // AWS: at least 6x the consuming function's timeout, or messages come back while a batch still runs.
        assertThat((Integer) queue.get("VisibilityTimeout")).isGreaterThanOrEqualTo(6 * TIMEOUTS.get(WORKER));
        assertThat(properties("JourneyDeadLetterQueue")).containsEntry("SqsManagedSseEnabled", true);
    }

    /**
     * Every dead-letter queue (a queue's redrive target, or a schedule's or the scheduler's failure
     * destination) has an alarm on any visible message, notifying the AlarmTopicArn when one is given
     * (issue 10, item 15: nothing watched the DLQ).
     */
    @Test
    void everyDeadLetterQueueHasAnAlarmOnItsFirstMessage() {
        java.util.Set<String> deadLetterQueues = new java.util.TreeSet<>();
        map(template.get("Resources")).forEach((id, r) -> {
            Map<String, Object> p = map(map(r).getOrDefault("Properties", Map.of()));
            if (p.get("RedrivePolicy") != null) {
                deadLetterQueues.add((String) ((List<?>) map(map(p.get("RedrivePolicy")).get("deadLetterTargetArn"))
                        .get("Fn::GetAtt")).get(0));
            }
        });
        deadLetterQueues.add("SchedulerDeadLetterQueue");
        java.util.Set<String> alarmed = new java.util.TreeSet<>();
        map(template.get("Resources")).forEach((id, r) -> {
            if (!"AWS::CloudWatch::Alarm".equals(map(r).get("Type"))) {
                return;
            }
            Map<String, Object> p = map(map(r).get("Properties"));
            if ("ApproximateNumberOfMessagesVisible".equals(p.get("MetricName")) && Integer.valueOf(0).equals(p.get("Threshold"))
                    && "GreaterThanThreshold".equals(p.get("ComparisonOperator"))) {
                assertThat(p.get("AlarmActions")).as(id).isEqualTo(Map.of("Fn::If",
                        List.of("HasAlarmTopic", List.of(Map.of("Ref", "AlarmTopicArn")), Map.of("Ref", "AWS::NoValue"))));
                Map<String, Object> dimension = map(((List<?>) p.get("Dimensions")).get(0));
                alarmed.add((String) ((List<?>) map(dimension.get("Value")).get("Fn::GetAtt")).get(0));
            }
        });
        assertThat(alarmed).isEqualTo(deadLetterQueues);
        for (String id : List.of(SCHEDULER, SCORING)) {
            assertThat(map(map(properties(id).get("EventInvokeConfig")).get("DestinationConfig"))).as(id)
                    .isEqualTo(Map.of("OnFailure", Map.of("Type", "SQS",
                            "Destination", Map.of("Fn::GetAtt", List.of("SchedulerDeadLetterQueue", "Arn")))));
        }
    }

    /** The HTTP API lets one tenant's design load through (1,000 callbacks/s), and the operator can raise it. */
    @Test
    void callbackThrottlingIsAParameterAboveTheDesignLoad() {
        Map<String, Object> route = map(properties("CallbackApi").get("DefaultRouteSettings"));
        assertThat(route).containsEntry("ThrottlingRateLimit", Map.of("Ref", "CallbackRateLimit"))
                .containsEntry("ThrottlingBurstLimit", Map.of("Ref", "CallbackBurstLimit"));
        Map<String, Object> parameters = map(template.get("Parameters"));
        assertThat((Integer) map(parameters.get("CallbackRateLimit")).get("Default")).isGreaterThanOrEqualTo(1000);
        assertThat((Integer) map(parameters.get("CallbackBurstLimit")).get("Default")).isGreaterThanOrEqualTo(2000);
    }

    @Test
    void theWorkerConsumesTheJourneyQueueReportingPartialBatchFailures() {
        List<String> mappings = new ArrayList<>();
        map(template.get("Resources")).forEach((id, r) -> {
            if ("AWS::Lambda::EventSourceMapping".equals(map(r).get("Type"))) {
                mappings.add(id);
            }
        });
        assertThat(mappings).containsExactly("JourneyWorkerQueueSource");
        Map<String, Object> source = properties("JourneyWorkerQueueSource");
        assertAll(
                () -> assertThat(source.get("EventSourceArn")).isEqualTo(Map.of("Fn::GetAtt", List.of("JourneyQueue", "Arn"))),
                // The alias: the published version SnapStart restores, as the HTTP API invokes for the callback.
                () -> assertThat(source.get("FunctionName")).isEqualTo(Map.of("Ref", WORKER + ".Alias")),
                () -> assertThat(source.get("BatchSize")).isEqualTo(10),
                () -> assertThat(source.get("FunctionResponseTypes")).isEqualTo(List.of("ReportBatchItemFailures")),
                () -> assertThat(map(source.get("ScalingConfig")).get("MaximumConcurrency")).isEqualTo(10),
                () -> assertThat(source).doesNotContainKey("Enabled"));
        // Nothing else consumes the queue: no SAM SQS event anywhere (see PolicyAudit for why).
        FUNCTIONS.keySet().forEach(id -> map(properties(id).get("Events")).values()
                .forEach(e -> assertThat(map(e).get("Type")).as(id).isNotEqualTo("SQS")));
    }

    /**
     * The template's schedules and the job catalog, in both directions: every catalog job has exactly one
     * schedule with its expression, in the TimeZone parameter's zone, with the dead-letter queue, and
     * every schedule names a catalog job. So do the sample events: one per job, none for a job that is not.
     */
    @Test
    void theSchedulerRunsEachCatalogJobOnItsScheduleInTheTenantsZone() throws IOException {
        Map<String, String> scheduled = schedules(SCHEDULER);
        Map<String, String> catalog = new java.util.TreeMap<>();
        JobCatalog.jobs().stream().filter(j -> j.function().equals(JobCatalog.SCHEDULER))
                .forEach(j -> catalog.put(j.name(), j.schedule().expression()));
        assertThat(scheduled).isEqualTo(catalog);
        assertThat(map(map(template.get("Parameters")).get("TimeZone")).get("Default")).isEqualTo("Asia/Shanghai");

        Path events = CfnSpecFixture.TEMPLATE.getParent().resolve("events");
        catalog.keySet().forEach(job -> assertThat(events.resolve("scheduler-" + job + ".json")).as(job)
                .content().isEqualToIgnoringWhitespace("{\"job\": \"" + job + "\"}"));
        try (var files = java.nio.file.Files.list(events)) {
            List<String> sampled = files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("scheduler-"))
                    .map(n -> n.substring("scheduler-".length(), n.length() - ".json".length())).sorted().toList();
            // Plus one per operator action: the input an operator sends (it has no schedule).
            java.util.TreeSet<String> expected = new java.util.TreeSet<>(catalog.keySet());
            JobCatalog.actions().forEach(a -> expected.add(a.name()));
            assertThat(sampled).as("events/scheduler-*.json name the scheduler's catalog jobs only").isEqualTo(List.copyOf(expected));
        }
        FUNCTIONS.keySet().stream().filter(id -> !id.equals(SCHEDULER)).forEach(id -> map(properties(id).get("Events"))
                .values().forEach(e -> assertThat(String.valueOf(map(e).get("Type"))).as(id).doesNotStartWith("Schedule")));
    }

    /**
     * The jobs that need the models run on the scoring function, on the same terms as the scheduler's: the
     * catalog's jobs of function "scoring" and the scoring function's schedules, both directions, each with its
     * sample event events/scoring-&lt;job&gt;.json; training is a job of its own, before the night's scoring.
     */
    @Test
    void theScoringFunctionRunsTheCatalogsScoringJobs() throws IOException {
        Map<String, String> catalog = new java.util.TreeMap<>();
        JobCatalog.jobs().stream().filter(j -> j.function().equals(JobCatalog.SCORING))
                .forEach(j -> catalog.put(j.name(), j.schedule().expression()));
        assertThat(catalog).containsOnlyKeys(JobCatalog.TRAIN_CHURN, JobCatalog.SCORE_CUSTOMERS);
        assertThat(schedules(SCORING)).isEqualTo(catalog);
        Path events = CfnSpecFixture.TEMPLATE.getParent().resolve("events");
        catalog.keySet().forEach(job -> assertThat(events.resolve("scoring-" + job + ".json")).as(job)
                .content().isEqualToIgnoringWhitespace("{\"job\": \"" + job + "\"}"));
        assertThat(JobCatalog.jobs()).allSatisfy(j -> assertThat(j.function()).isIn(JobCatalog.SCHEDULER, JobCatalog.SCORING));
    }

    @Test
    void theScoringFunctionHasAConcurrencyCapAndNoWeComSecret() {
        assertThat(properties(SCORING).get("ReservedConcurrentExecutions")).isEqualTo(10);
        Map<String, Object> env = map(map(properties(SCORING).get("Environment")).get("Variables"));
        // it makes no WeCom call (a started journey's first step goes to the queue): no secret it would not use
        assertThat(env).doesNotContainKey("SIYU_WECOM_SECRET");
        assertThat(env.values()).noneMatch(v -> String.valueOf(v).contains(":SecretString:secret}}"));
    }

    @Test
    void theMiniProgramFunctionSignsCheckInSessionsWithAKeyOfItsOwn() {
        Map<String, Object> env = map(map(properties(MINIAPP).get("Environment")).get("Variables"));
        // the public member function never holds the key that signs sidebar sessions
        assertThat(env).doesNotContainKey("SIYU_SIDEBAR_SESSION_KEY");
        assertThat(env.values()).noneMatch(v -> String.valueOf(v).contains("sidebarSessionKey"));
        assertThat(env.get("SIYU_CHECKIN_SESSION_KEY")).isEqualTo(Map.of("Fn::Sub",
                "{{resolve:secretsmanager:${WeComSecretArn}:SecretString:checkinSessionKey}}"));
    }

    /** A function's ScheduleV2 events: job -> expression, each in the tenant's zone with the jobs' dead-letter queue. */
    Map<String, String> schedules(String function) throws IOException {
        Map<String, String> scheduled = new java.util.TreeMap<>();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (Object value : map(properties(function).get("Events")).values()) {
            Map<String, Object> event = map(value);
            if (!String.valueOf(event.get("Type")).startsWith("Schedule")) {
                continue;
            }
            Map<String, Object> p = map(event.get("Properties"));
            assertThat(event.get("Type")).isEqualTo("ScheduleV2");
            assertThat(p.get("ScheduleExpressionTimezone")).isEqualTo(Map.of("Ref", "TimeZone"));
            assertThat(map(p.get("DeadLetterConfig")).get("Arn"))
                    .isEqualTo(Map.of("Fn::GetAtt", List.of("SchedulerDeadLetterQueue", "Arn")));
            // The Input is the function's whole event: exactly {"job": "..."}.
            Map<String, Object> input = map(json.readValue((String) p.get("Input"), Map.class));
            assertThat(input.keySet()).containsExactly("job");
            String job = (String) input.get("job");
            assertThat(scheduled).as("one schedule per job").doesNotContainKey(job);
            scheduled.put(job, (String) p.get("ScheduleExpression"));
        }
        return scheduled;
    }

    @Test
    void iamGrantsAreLeastPrivilege() {
        assertThat(PolicyAudit.violations(template)).isEmpty();
        List<String> items = List.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                "dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:BatchWriteItem", "dynamodb:BatchGetItem");
        List<String> callback = new ArrayList<>(items);
        callback.add("sqs:SendMessage");
        List<String> worker = new ArrayList<>(callback);
        worker.addAll(List.of("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                "sqs:ChangeMessageVisibility"));
        List<String> scheduler = new ArrayList<>(callback);
        // Query again, on the profiles index only: the daily jobs no longer Scan the table (issue 10)
        scheduler.add("dynamodb:Query");
        assertThat(PolicyAudit.actions(template, FUNCTION)).containsExactlyInAnyOrderElementsOf(callback);
        assertThat(PolicyAudit.actions(template, WORKER)).containsExactlyInAnyOrderElementsOf(worker);
        assertThat(PolicyAudit.actions(template, SCHEDULER)).containsExactlyInAnyOrderElementsOf(scheduler);
        assertThat(PolicyAudit.actions(template, SIDEBAR)).containsExactlyInAnyOrderElementsOf(callback);
        assertThat(PolicyAudit.actions(template, MINIAPP)).containsExactlyInAnyOrderElementsOf(callback);
        // The scoring function: the scheduler's table and queue actions (its jobs moved from there) and its models.
        List<String> scoring = new ArrayList<>(scheduler);
        scoring.addAll(List.of("s3:GetObject", "s3:PutObject", "s3:ListBucket"));
        assertThat(PolicyAudit.actions(template, SCORING)).containsExactlyInAnyOrderElementsOf(scoring);
        PolicyAudit.grants(template).stream().filter(g -> g.statementOrName() instanceof Map).forEach(g -> {
            if (g.owner().equals(SCORING) && "ModelObjects".equals(map(g.statementOrName()).get("Sid"))) {
                // this tenant's model objects only: no bucket-wide grant, no other tenant's prefix
                assertThat(map(g.statementOrName()).get("Resource"))
                        .isEqualTo(Map.of("Fn::Sub", "${ModelBucket.Arn}/models/${TenantId}/*"));
                return;
            }
            if (g.owner().equals(SCORING) && "ModelListing".equals(map(g.statementOrName()).get("Sid"))) {
                // listing the stack's own bucket with no s3:prefix condition: a GetObject carries no s3:prefix, so a
                // conditioned grant would not apply to it and S3 would answer a missing model 403, not 404
                assertThat(map(g.statementOrName()).get("Resource")).isEqualTo(Map.of("Fn::GetAtt", List.of("ModelBucket", "Arn")));
                assertThat(map(g.statementOrName())).doesNotContainKey("Condition");
                return;
            }
            if (g.owner().equals(SCORING) && TemplateChecker.strings(map(g.statementOrName()).get("Action")).stream()
                    .anyMatch(a -> a.startsWith("dynamodb:"))) {
                // this tenant's keys only (and the timer buckets its journey starts may write)
                assertThat(list(map(map(map(g.statementOrName()).get("Condition")).get("ForAllValues:StringLike"))
                        .get("dynamodb:LeadingKeys"))).contains(Map.of("Fn::Sub", "T#${TenantId}#*"))
                        .allSatisfy(k -> assertThat(k).isIn(Map.of("Fn::Sub", "T#${TenantId}#*"), "TIMER#*"));
            }
            Object resource = map(g.statementOrName()).get("Resource");
            boolean dynamo = TemplateChecker.strings(map(g.statementOrName()).get("Action")).stream()
                    .anyMatch(a -> a.startsWith("dynamodb:"));
            Object table = "SiyuTableProfilesIndex".equals(map(g.statementOrName()).get("Sid"))
                    ? Map.of("Fn::Sub", "${SiyuTable.Arn}/index/profiles") : Map.of("Fn::GetAtt", List.of("SiyuTable", "Arn"));
            assertThat(resource).isEqualTo(dynamo ? table : Map.of("Fn::GetAtt", List.of("JourneyQueue", "Arn")));
        });
    }

    /** The least-privilege rules are able to fail. */
    @Test
    void policyAuditFlagsWildcardResourcesScanAndBroadTemplates() {
        Map<String, Object> bad = CfnYaml.load("""
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        Queue:
                          Type: SQS
                          Properties:
                            Queue: !GetAtt Q.Arn
                      Policies:
                        - DynamoDBCrudPolicy: {TableName: t}
                        - Statement:
                            - Effect: Allow
                              Action: [dynamodb:GetItem, sqs:SendMessage]
                              Resource: '*'
                            - Effect: Allow
                              Action: dynamodb:S*
                              Resource: !GetAtt T.Arn
                            - Effect: Allow
                              Action: dynamodb:Scan
                              Resource: !GetAtt T.Arn
                  SchedulerFunction:
                    Type: AWS::Serverless::Function
                    Properties:
                      Policies:
                        - Statement:
                            - Effect: Allow
                              Action: dynamodb:Scan
                              Resource: !GetAtt T.Arn
                            - Effect: Allow
                              Action: [dynamodb:Scan, dynamodb:*]
                              Resource: '*'
                """);
        assertThat(PolicyAudit.violations(bad)).containsExactlyInAnyOrder(
                "Fn: its SQS event attaches AWSLambdaSQSQueueExecutionRole (sqs:ReceiveMessage, sqs:DeleteMessage,"
                        + " sqs:GetQueueAttributes on every queue); use an AWS::Lambda::EventSourceMapping and a"
                        + " statement on the queue",
                "Fn: DynamoDBCrudPolicy allows dynamodb:Scan or every resource",
                "Fn: dynamodb:GetItem on every resource (*)",
                "Fn: sqs:SendMessage on every resource (*)",
                "Fn: dynamodb:S* allows dynamodb:Scan",
                "Fn: dynamodb:Scan allows dynamodb:Scan",
                // No function may scan, the scheduler included (its jobs read the profiles index).
                "SchedulerFunction: dynamodb:Scan allows dynamodb:Scan",
                "SchedulerFunction: dynamodb:Scan on every resource (*)",
                "SchedulerFunction: dynamodb:Scan allows dynamodb:Scan",
                "SchedulerFunction: dynamodb:* on every resource (*)",
                "SchedulerFunction: dynamodb:* allows dynamodb:Scan");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"WeComCallbackFunction, WeComCallbackLogGroup", "JourneyWorkerFunction, JourneyWorkerLogGroup",
            "SchedulerFunction, SchedulerLogGroup", "StaffSidebarFunction, StaffSidebarLogGroup",
            "MiniappApiFunction, MiniappApiLogGroup", "ScoringFunction, ScoringLogGroup"})
    void functionLogsAreKeptThirtyDays(String function, String logGroupId) {
        Map<String, Object> logGroup = resource(logGroupId);
        assertThat(logGroup.get("Type")).isEqualTo("AWS::Logs::LogGroup");
        assertThat(map(logGroup.get("Properties")))
                .containsEntry("RetentionInDays", 30)
                .containsEntry("LogGroupName", Map.of("Fn::Sub", "/aws/lambda/${" + function + "}"));
    }

    @Test
    void outputsGiveTheCallbackUrlTableAndQueues() {
        Map<String, Object> outputs = map(template.get("Outputs"));
        assertThat(map(outputs.get("CallbackUrl")).get("Value")).isEqualTo(Map.of("Fn::Sub",
                "https://${CallbackApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/wecom/callback"));
        assertThat(map(outputs.get("TableName")).get("Value")).isEqualTo(Map.of("Ref", "SiyuTable"));
        assertThat(map(outputs.get("QueueUrl")).get("Value")).isEqualTo(Map.of("Ref", "JourneyQueue"));
        assertThat(map(outputs.get("DeadLetterQueueUrl")).get("Value"))
                .isEqualTo(Map.of("Ref", "JourneyDeadLetterQueue"));
        assertThat(map(outputs.get("JourneyWorkerFunctionAlias")).get("Value")).isEqualTo(Map.of("Ref", WORKER + ".Alias"));
        assertThat(map(outputs.get("SchedulerFunctionAlias")).get("Value")).isEqualTo(Map.of("Ref", SCHEDULER + ".Alias"));
    }

    // ------------------------------------------------------------------ trusted egress

    static final List<String> EGRESS_RESOURCES = List.of("EgressVpc", "EgressInternetGateway", "EgressGatewayAttachment",
            "EgressPublicSubnet", "EgressPrivateSubnetA", "EgressPrivateSubnetB", "EgressPublicRouteTable",
            "EgressPublicDefaultRoute", "EgressPublicSubnetRoutes", "EgressIp", "EgressNatGateway",
            "EgressPrivateRouteTable", "EgressPrivateDefaultRoute", "EgressPrivateSubnetARoutes",
            "EgressPrivateSubnetBRoutes", "EgressDynamoDbEndpoint", "EgressS3Endpoint", "EgressFunctionSecurityGroup");

    static Map<String, Object> ref(String id) {
        return Map.of("Ref", id);
    }

    @Test
    void trustedEgressIsOffByDefaultAndEveryPartOfItIsConditional() {
        Map<String, Object> parameter = map(map(template.get("Parameters")).get("TrustedEgress"));
        assertThat(parameter).containsEntry("Default", "false").containsEntry("AllowedValues", List.of("true", "false"));
        assertThat(map(map(template.get("Conditions")).get("HasTrustedEgress")))
                .isEqualTo(Map.of("Fn::Equals", List.of(ref("TrustedEgress"), "true")));
        List<String> egress = new ArrayList<>();
        map(template.get("Resources")).forEach((id, r) -> {
            if ("HasTrustedEgress".equals(map(r).get("Condition"))) {
                egress.add(id);
            }
        });
        assertThat(egress).containsExactlyInAnyOrderElementsOf(EGRESS_RESOURCES);
        assertThat(map(map(template.get("Outputs")).get("EgressIp"))).containsEntry("Condition", "HasTrustedEgress")
                .containsEntry("Value", ref("EgressIp"));
        // off: no function is in a VPC (Lambda's own egress, as before)
        FUNCTIONS.keySet().forEach(id -> assertThat(function(id, Map.of())).as(id).doesNotContainKey("VpcConfig"));
    }

    @Test
    void trustedEgressPutsEveryFunctionInThePrivateSubnetsBehindOneNatWithAnElasticIp() {
        // the three functions: private subnets in two AZs, the HTTPS-only security group
        Map<String, Object> vpc = Map.of("SecurityGroupIds", List.of(ref("EgressFunctionSecurityGroup")),
                "SubnetIds", List.of(ref("EgressPrivateSubnetA"), ref("EgressPrivateSubnetB")));
        FUNCTIONS.keySet().forEach(id -> assertThat(function(id, Map.of("TrustedEgress", "true")).get("VpcConfig"))
                .as(id).isEqualTo(vpc));
        assertThat(function(SCORING, Map.of("TrustedEgress", "true")).get("VpcConfig")).isEqualTo(vpc);
        assertThat(properties("EgressPrivateSubnetA").get("AvailabilityZone"))
                .isNotEqualTo(properties("EgressPrivateSubnetB").get("AvailabilityZone"));
        // the private subnets go out through the one NAT gateway, which holds the Elastic IP in the public subnet
        assertThat(properties("EgressPrivateDefaultRoute")).containsEntry("DestinationCidrBlock", "0.0.0.0/0")
                .containsEntry("NatGatewayId", ref("EgressNatGateway"))
                .containsEntry("RouteTableId", ref("EgressPrivateRouteTable"));
        List.of("EgressPrivateSubnetARoutes", "EgressPrivateSubnetBRoutes").forEach(id ->
                assertThat(properties(id)).containsEntry("RouteTableId", ref("EgressPrivateRouteTable")));
        assertThat(properties("EgressNatGateway")).containsEntry("SubnetId", ref("EgressPublicSubnet"))
                .containsEntry("AllocationId", Map.of("Fn::GetAtt", List.of("EgressIp", "AllocationId")));
        assertThat(properties("EgressIp")).containsEntry("Domain", "vpc");
        assertThat(properties("EgressPublicDefaultRoute")).containsEntry("DestinationCidrBlock", "0.0.0.0/0")
                .containsEntry("GatewayId", ref("EgressInternetGateway"))
                .containsEntry("RouteTableId", ref("EgressPublicRouteTable"));
        assertThat(properties("EgressPublicSubnetRoutes")).containsEntry("SubnetId", ref("EgressPublicSubnet"));
        assertThat(properties("EgressGatewayAttachment")).containsEntry("VpcId", ref("EgressVpc"))
                .containsEntry("InternetGatewayId", ref("EgressInternetGateway"));
        // a route to the internet gateway (and the EIP) only once the gateway is attached
        assertThat(resource("EgressPublicDefaultRoute")).containsEntry("DependsOn", "EgressGatewayAttachment");
        assertThat(resource("EgressIp")).containsEntry("DependsOn", "EgressGatewayAttachment");
    }

    @Test
    void underTrustedEgressTableTrafficTakesAGatewayEndpointAndNothingButHttpsLeaves() {
        assertThat(properties("EgressDynamoDbEndpoint")).containsEntry("VpcEndpointType", "Gateway")
                .containsEntry("VpcId", ref("EgressVpc"))
                .containsEntry("ServiceName", Map.of("Fn::Sub", "com.amazonaws.${AWS::Region}.dynamodb"))
                .containsEntry("RouteTableIds", List.of(ref("EgressPrivateRouteTable")));
        Map<String, Object> group = properties("EgressFunctionSecurityGroup");
        assertThat(group).doesNotContainKey("SecurityGroupIngress");
        assertThat(list(group.get("SecurityGroupEgress"))).singleElement().satisfies(rule -> assertThat(map(rule))
                .containsEntry("IpProtocol", "tcp").containsEntry("FromPort", 443).containsEntry("ToPort", 443)
                .containsEntry("CidrIp", "0.0.0.0/0"));
        // no SQS interface endpoint: docs/operations.md says why
        map(template.get("Resources")).values().forEach(r -> assertThat(String.valueOf(map(map(r).get("Properties"))
                .get("ServiceName"))).doesNotContain("sqs"));
    }

    @Test
    void aReferenceToAConditionalResourceOutsideItsConditionIsReported() {
        Map<String, Object> broken = CfnYaml.load("""
                Parameters:
                  On:
                    Type: String
                    Default: 'false'
                    AllowedValues: ['true', 'false']
                Conditions:
                  IsOn: !Equals [!Ref On, 'true']
                  IsOff: !Equals [!Ref On, 'false']
                Resources:
                  Ip:
                    Type: AWS::EC2::EIP
                    Condition: IsOn
                    Properties:
                      Domain: vpc
                  Vpc:
                    Type: AWS::EC2::VPC
                    Properties:
                      CidrBlock: 10.0.0.0/16
                  Subnet:
                    Type: AWS::EC2::Subnet
                    Condition: IsOn
                    Properties:
                      VpcId: !Ref Vpc
                      CidrBlock: 10.0.0.0/24
                  Nat:
                    Type: AWS::EC2::NatGateway
                    DependsOn: Ip
                    Properties:
                      AllocationId: !GetAtt Ip.AllocationId
                      SubnetId: !If [IsOn, !Ref Subnet, !Ref AWS::NoValue]
                  OtherNat:
                    Type: AWS::EC2::NatGateway
                    Condition: IsOff
                    Properties:
                      SubnetId: !Ref Subnet
                Outputs:
                  Fine:
                    Condition: IsOn
                    Value: !Ref Ip
                  Guarded:
                    Value: !If [IsOn, !Sub '${Ip}', none]
                  Unguarded:
                    Value: !Sub 'ip ${Ip}'
                """);
        assertThat(ConditionalRefs.check(broken)).containsExactlyInAnyOrder(
                "Resources.Nat.DependsOn: 'Ip' exists only when IsOn holds; name it under Condition: IsOn or inside !If [IsOn, ...]",
                "Resources.Nat.Properties.AllocationId: 'Ip' exists only when IsOn holds; name it under Condition: IsOn or inside !If [IsOn, ...]",
                "Resources.OtherNat.Properties.SubnetId: 'Subnet' exists only when IsOn holds; name it under Condition: IsOn or inside !If [IsOn, ...]",
                "Outputs.Unguarded.Value: 'Ip' exists only when IsOn holds; name it under Condition: IsOn or inside !If [IsOn, ...]");
    }

    @Test
    void deploymentVariantOffersTheThreeVariants() {
        assertThat(list(map(map(template.get("Parameters")).get("DeploymentVariant")).get("AllowedValues")))
                .containsExactly("java25-snapstart", "aot-provided", "native");
    }

    // ------------------------------------------------------------------ deployable per-variant templates

    @Test
    void eachRenderedVariantTemplateIsDeployableAndStillConforms(@TempDir Path out) throws IOException {
        List<Path> rendered = RenderVariantTemplates.render(CfnSpecFixture.TEMPLATE, out);
        assertThat(rendered).hasSize(3);
        for (Path file : rendered) {
            String variant = file.getParent().getFileName().toString();
            Map<String, Object> tpl = CfnYaml.load(Files.readString(file, StandardCharsets.UTF_8));
            assertThat(check(tpl)).as("problems in %s", file).isEmpty();
            Map<String, Object> parameter = map(map(tpl.get("Parameters")).get("DeploymentVariant"));
            assertThat(parameter).containsEntry("Default", variant).containsEntry("AllowedValues", List.of(variant));
            FUNCTIONS.forEach((id, module) -> {
                Object codeUri = map(map(map(tpl.get("Resources")).get(id)).get("Properties")).get("CodeUri");
                assertThat(codeUri).as("%s: a literal path sam package uploads", id).isInstanceOf(String.class);
                assertThat(file.getParent().resolve((String) codeUri).normalize()).as(id).isEqualTo(
                        CfnSpecFixture.TEMPLATE.getParent().resolve("functions/" + module + "/target/" + ZIPS.get(variant)));
            });
            Object scoring = map(map(map(tpl.get("Resources")).get(SCORING)).get("Properties")).get("CodeUri");
            assertThat(file.getParent().resolve((String) scoring).normalize()).isEqualTo(
                    CfnSpecFixture.TEMPLATE.getParent().resolve("functions/scoring/target/function.zip"));
        }
    }
}
