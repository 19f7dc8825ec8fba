package dev.siyu.template;

import static dev.siyu.template.TemplateEvaluator.isIntrinsic;
import static dev.siyu.template.TemplateEvaluator.list;
import static dev.siyu.template.TemplateEvaluator.map;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Checks a parsed template (see {@link CfnYaml}) against the CloudFormation resource specification
 * and returns every problem found as {@code "<path>: <message>"}; an empty list means none.
 *
 * <p>What it checks: top-level sections; parameters (type, Default within AllowedValues/AllowedPattern/
 * lengths); conditions (only condition functions, parameter refs, known condition names); SAM
 * Globals (known sections, properties of the matching type); each resource's Type, attributes,
 * every property name and value shape, recursively through the property types the spec names
 * (Type/ItemType/PrimitiveType, alternatives for multi-typed SAM properties, SAM event sources by
 * their {@code Type}); required properties (for SAM types after merging Globals, plus SAM's own rules
 * for functions: CodeUri or InlineCode, or ImageUri for images; Runtime and Handler for zips);
 * DependsOn/Condition targets; every intrinsic's shape; every {@code Ref} target, {@code GetAtt}
 * resource and attribute, {@code Sub} placeholder, {@code If} condition, {@code FindInMap} map;
 * dynamic reference services; outputs.
 *
 * <p>SAM specifics: {@code AWS::Serverless::*} resources generate others, so {@code GetAtt} on them is
 * checked against the generated type's attributes (Function -> AWS::Lambda::Function, HttpApi ->
 * AWS::ApiGatewayV2::Api, ...), {@code Ref Fn.Alias}/{@code Fn.Version} (with AutoPublishAlias),
 * {@code Api.Stage}/{@code Api.Deployment}, {@code HttpApi.Stage} and the implicit {@code <Fn>Role},
 * {@code ServerlessHttpApi}, {@code ServerlessRestApi} resolve. The spec's SAM part predates some SAM
 * properties; those are listed in {@link #NEWER_SAM_PROPERTIES} by name (anything else unknown is
 * still an error) and, where SAM passes them to AWS::Lambda::Function, checked against that type.
 */
final class TemplateChecker {

    static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue",
            "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");

    private static final Set<String> TOP_LEVEL = Set.of("AWSTemplateFormatVersion", "Description", "Metadata",
            "Parameters", "Rules", "Mappings", "Conditions", "Transform", "Resources", "Outputs", "Globals");
    private static final Set<String> RESOURCE_KEYS = Set.of("Type", "Properties", "DependsOn", "Condition",
            "DeletionPolicy", "UpdateReplacePolicy", "Metadata", "CreationPolicy", "UpdatePolicy");
    private static final Set<String> PARAMETER_KEYS = Set.of("Type", "Default", "AllowedValues", "AllowedPattern",
            "ConstraintDescription", "Description", "MaxLength", "MaxValue", "MinLength", "MinValue", "NoEcho");
    private static final Set<String> PARAMETER_TYPES = Set.of("String", "Number", "List<Number>", "CommaDelimitedList");
    private static final Set<String> OUTPUT_KEYS = Set.of("Description", "Value", "Export", "Condition");
    private static final Set<String> RETENTION_POLICIES = Set.of("Delete", "Retain", "Snapshot", "RetainExceptOnCreate");
    private static final Set<String> CONDITION_FUNCTIONS = Set.of("Fn::Equals", "Fn::Not", "Fn::And", "Fn::Or",
            "Condition", "Fn::FindInMap", "Ref", "Fn::Sub", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::GetAZs");
    private static final Set<String> OTHER_FUNCTIONS = Set.of("Fn::Base64", "Fn::GetAZs", "Fn::ImportValue", "Fn::Cidr",
            "Fn::Transform", "Fn::Length", "Fn::ToJsonString");

    /**
     * What SAM merges from each Globals section (samtranslator/plugins/globals/globals.py, SAM 1.110):
     * a property outside this list is rejected by the transform even when the type knows it.
     */
    static final Map<String, Set<String>> GLOBALS_SUPPORTED = Map.of(
            "Function", Set.of("Handler", "Runtime", "CodeUri", "DeadLetterQueue", "Description", "MemorySize",
                    "Timeout", "VpcConfig", "Environment", "Tags", "PropagateTags", "Tracing", "KmsKeyArn",
                    "AutoPublishAlias", "AutoPublishAliasAllProperties", "Layers", "DeploymentPreference", "RolePath",
                    "PermissionsBoundary", "ReservedConcurrentExecutions", "ProvisionedConcurrencyConfig",
                    "AssumeRolePolicyDocument", "EventInvokeConfig", "FileSystemConfigs", "CodeSigningConfigArn",
                    "Architectures", "SnapStart", "EphemeralStorage", "FunctionUrlConfig", "RuntimeManagementConfig",
                    "LoggingConfig", "RecursiveLoop", "SourceKMSKeyArn"),
            "Api", Set.of("Auth", "Name", "DefinitionUri", "CacheClusterEnabled", "CacheClusterSize",
                    "MergeDefinitions", "Variables", "EndpointConfiguration", "MethodSettings", "BinaryMediaTypes",
                    "MinimumCompressionSize", "Cors", "GatewayResponses", "AccessLogSetting", "CanarySetting",
                    "TracingEnabled", "OpenApiVersion", "Domain", "AlwaysDeploy", "PropagateTags"),
            "HttpApi", Set.of("Auth", "AccessLogSettings", "StageVariables", "Tags", "CorsConfiguration",
                    "DefaultRouteSettings", "Domain", "RouteSettings", "FailOnWarnings", "PropagateTags"),
            "SimpleTable", Set.of("SSESpecification"),
            "StateMachine", Set.of("PropagateTags"),
            "LayerVersion", Set.of("PublishLambdaVersion"));

    /** The CloudFormation type a SAM resource becomes; its attributes are what GetAtt may ask for. */
    static final Map<String, String> SAM_GENERATED_TYPE = Map.of(
            "AWS::Serverless::Function", "AWS::Lambda::Function",
            "AWS::Serverless::HttpApi", "AWS::ApiGatewayV2::Api",
            "AWS::Serverless::Api", "AWS::ApiGateway::RestApi",
            "AWS::Serverless::SimpleTable", "AWS::DynamoDB::Table",
            "AWS::Serverless::StateMachine", "AWS::StepFunctions::StateMachine",
            "AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion",
            "AWS::Serverless::Application", "AWS::CloudFormation::Stack");

    /** SAM event source {@code Type} -> the spec's property type for its {@code Properties}. */
    private static final Map<String, String> EVENT_TYPES = Map.ofEntries(
            Map.entry("S3", "S3Event"), Map.entry("SNS", "SNSEvent"), Map.entry("SQS", "SQSEvent"),
            Map.entry("Kinesis", "KinesisEvent"), Map.entry("DynamoDB", "DynamoDBEvent"), Map.entry("Api", "ApiEvent"),
            Map.entry("HttpApi", "HttpApiEvent"), Map.entry("Schedule", "ScheduleEvent"),
            Map.entry("CloudWatchEvent", "CloudWatchEventEvent"), Map.entry("CloudWatchLogs", "CloudWatchLogsEvent"),
            Map.entry("IoTRule", "IoTRuleEvent"), Map.entry("AlexaSkill", "AlexaSkillEvent"),
            Map.entry("EventBridgeRule", "EventBridgeRuleEvent"));

    /** SAM event source types the spec's SAM part does not know yet: accepted, properties unchecked. */
    private static final Set<String> EVENT_TYPES_NEWER_THAN_SPEC = Set.of("ScheduleV2", "MSK", "MQ",
            "SelfManagedKafka", "DocumentDB", "Cognito");

    /**
     * SAM properties added after the spec's SAM part was written (SAM developer guide), per SAM type
     * or property type: property -> how its value is checked: a CloudFormation resource type (SAM
     * passes the property to that type's same-named property, so it is checked against that), a
     * primitive type name, or "" (a structure this spec does not describe: accepted unchecked).
     */
    static final Map<String, Map<String, String>> NEWER_SAM_PROPERTIES = Map.of(
            "AWS::Serverless::Function", Map.of(
                    "SnapStart", "AWS::Lambda::Function",
                    "RuntimeManagementConfig", "AWS::Lambda::Function",
                    "EphemeralStorage", "AWS::Lambda::Function",
                    "AutoPublishAliasAllProperties", "Boolean",
                    "RecursiveLoop", "String", "PropagateTags", "Boolean",
                    "LoggingConfig", "", "FunctionUrlConfig", ""),
            "AWS::Serverless::Function.SQSEvent", Map.of(
                    "FunctionResponseTypes", "", "MaximumBatchingWindowInSeconds", "", "ScalingConfig", "",
                    "FilterCriteria", ""),
            "AWS::Serverless::Function.ScheduleEvent", Map.of(
                    "RetryPolicy", "", "DeadLetterConfig", "", "State", ""),
            "AWS::Serverless::Function.EventBridgeRuleEvent", Map.of(
                    "RetryPolicy", "", "DeadLetterConfig", "", "Target", "", "State", ""));

    /**
     * The ScheduleV2 event source's properties, which the spec's SAM part predates (SAM developer guide,
     * "ScheduleV2", docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-schedulev2.html):
     * names checked, ScheduleExpression required; the values pass to AWS::Scheduler::Schedule.
     */
    static final Set<String> SCHEDULE_V2_PROPERTIES = Set.of("DeadLetterConfig", "Description", "EndDate",
            "FlexibleTimeWindow", "GroupName", "Input", "KmsKeyArn", "Name", "OmitName", "PermissionsBoundary",
            "RetryPolicy", "RoleArn", "ScheduleExpression", "ScheduleExpressionTimezone", "StartDate", "State");

    /**
     * Properties this spec marks required that the SAM developer guide says are not
     * ("EventInvokeDestinationConfiguration": OnSuccess and OnFailure are both "Required: No").
     */
    static final Set<String> NOT_REQUIRED_ERRATA = Set.of(
            "AWS::Serverless::Function.EventInvokeDestinationConfig.OnSuccess",
            "AWS::Serverless::Function.EventInvokeDestinationConfig.OnFailure");

    private static final Pattern SUB_PLACEHOLDER = Pattern.compile("\\$\\{([^}]*)}");
    private static final Pattern DYNAMIC_REFERENCE = Pattern.compile("\\{\\{resolve:([a-z-]+):(.*?)}}");

    private final CfnSpec spec;
    private Map<String, Object> template;
    private Map<String, Object> parameters;
    private Map<String, Object> resources;
    private Map<String, Object> conditions;
    private Map<String, Object> mappings;
    /** Resources SAM adds (implicit role, implicit APIs): logical id -> type. */
    private final Map<String, String> generatedResources = new java.util.HashMap<>();
    /** {@code Ref}-able SAM names such as {@code Fn.Alias}. */
    private final Set<String> generatedRefs = new HashSet<>();
    private List<String> errors = new ArrayList<>();
    private int checkedProperties;

    TemplateChecker(CfnSpec spec) {
        this.spec = spec;
    }

    /** How many property values the last {@link #check} compared with the spec (guards against a vacuous pass). */
    int checkedProperties() {
        return checkedProperties;
    }

    List<String> check(Map<String, Object> tpl) {
        this.template = tpl;
        this.errors = new ArrayList<>();
        this.checkedProperties = 0;
        this.parameters = section("Parameters");
        this.resources = section("Resources");
        this.conditions = section("Conditions");
        this.mappings = section("Mappings");
        generatedResources.clear();
        generatedRefs.clear();

        tpl.keySet().stream().filter(k -> !TOP_LEVEL.contains(k))
                .forEach(k -> error(k, "unknown top-level section" + suggestion(k, TOP_LEVEL)));
        if (resources.isEmpty()) {
            error("Resources", "a template needs at least one resource");
        }
        collectSamGenerated();
        checkParameters();
        checkConditions();
        checkGlobals();
        resources.forEach(this::checkResource);
        checkOutputs();
        walk(map(tpl.get("Globals")), "Globals");
        walk(resources, "Resources");
        walk(map(tpl.get("Outputs")), "Outputs");
        errors.addAll(ConditionalRefs.check(tpl));
        return errors;
    }

    // ---------------------------------------------------------------- sections

    private Map<String, Object> section(String name) {
        Object value = template.get(name);
        if (value != null && !(value instanceof Map)) {
            error(name, "must be a mapping");
        }
        return map(value);
    }

    private void collectSamGenerated() {
        boolean implicitHttpApi = false;
        boolean implicitRestApi = false;
        for (Map.Entry<String, Object> entry : resources.entrySet()) {
            String id = entry.getKey();
            String type = String.valueOf(map(entry.getValue()).get("Type"));
            Map<String, Object> props = TemplateEvaluator.withGlobals(template, type, map(map(entry.getValue()).get("Properties")));
            switch (type) {
                case "AWS::Serverless::Function" -> {
                    if (!props.containsKey("Role")) {
                        generatedResources.put(id + "Role", "AWS::IAM::Role");
                    }
                    if (props.containsKey("AutoPublishAlias")) {
                        generatedRefs.add(id + ".Alias");
                        generatedRefs.add(id + ".Version");
                    }
                    for (Object event : map(props.get("Events")).values()) {
                        String eventType = String.valueOf(map(event).get("Type"));
                        Map<String, Object> eventProps = map(map(event).get("Properties"));
                        implicitHttpApi |= "HttpApi".equals(eventType) && !eventProps.containsKey("ApiId");
                        implicitRestApi |= "Api".equals(eventType) && !eventProps.containsKey("RestApiId");
                    }
                }
                case "AWS::Serverless::Api" -> {
                    generatedRefs.add(id + ".Stage");
                    generatedRefs.add(id + ".Deployment");
                }
                case "AWS::Serverless::HttpApi" -> {
                    generatedRefs.add(id + ".Stage");
                    if (props.containsKey("Domain")) {
                        generatedRefs.add(id + ".DomainName");
                    }
                }
                default -> {
                }
            }
        }
        if (implicitHttpApi) {
            generatedResources.put("ServerlessHttpApi", "AWS::Serverless::HttpApi");
            generatedRefs.add("ServerlessHttpApi.Stage");
        }
        if (implicitRestApi) {
            generatedResources.put("ServerlessRestApi", "AWS::Serverless::Api");
            generatedRefs.add("ServerlessRestApi.Stage");
            generatedRefs.add("ServerlessRestApi.Deployment");
        }
    }

    private void checkParameters() {
        parameters.forEach((name, value) -> {
            String path = "Parameters." + name;
            if (resources.containsKey(name)) {
                error(path, "a parameter and a resource are both named " + name);
            }
            Map<String, Object> def = map(value);
            def.keySet().stream().filter(k -> !PARAMETER_KEYS.contains(k))
                    .forEach(k -> error(path, "unknown parameter attribute '" + k + "'" + suggestion(k, PARAMETER_KEYS)));
            String type = def.get("Type") instanceof String t ? t : null;
            if (type == null) {
                error(path, "missing Type");
            } else if (!PARAMETER_TYPES.contains(type) && !type.startsWith("AWS::") && !type.startsWith("List<AWS::")) {
                error(path, "unknown parameter Type '" + type + "'");
            }
            if (!def.containsKey("Default")) {
                return;
            }
            String dflt = String.valueOf(def.get("Default"));
            if (def.containsKey("AllowedValues")) {
                List<String> allowed = list(def.get("AllowedValues")).stream().map(String::valueOf).toList();
                if (!allowed.contains(dflt)) {
                    error(path, "Default '" + dflt + "' is not one of AllowedValues " + allowed);
                }
            }
            if (def.get("AllowedPattern") instanceof String pattern && !dflt.matches(pattern)) {
                error(path, "Default '" + dflt + "' does not match AllowedPattern " + pattern);
            }
            if (def.get("MinLength") instanceof Number min && dflt.length() < min.intValue()) {
                error(path, "Default '" + dflt + "' is shorter than MinLength " + min);
            }
            if (def.get("MaxLength") instanceof Number max && dflt.length() > max.intValue()) {
                error(path, "Default '" + dflt + "' is longer than MaxLength " + max);
            }
            if ("Number".equals(type) && !isNumber(dflt)) {
                error(path, "Default '" + dflt + "' is not a Number");
            }
        });
    }

    private void checkConditions() {
        conditions.forEach((name, expression) -> walkCondition(expression, "Conditions." + name));
    }

    private void walkCondition(Object value, String path) {
        if (value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                walkCondition(items.get(i), path + "[" + i + "]");
            }
            return;
        }
        if (!(value instanceof Map<?, ?> m)) {
            return;
        }
        if (!isIntrinsic(m)) {
            error(path, "a condition must be built from condition functions, got " + m.keySet());
            return;
        }
        String fn = String.valueOf(m.keySet().iterator().next());
        if (!CONDITION_FUNCTIONS.contains(fn)) {
            error(path, fn + " cannot be used in a condition");
            return;
        }
        if ("Ref".equals(fn)) {
            Object target = m.get("Ref");
            if (!parameters.containsKey(target) && !PSEUDO_PARAMETERS.contains(target)) {
                error(path, "Ref to '" + target + "': a condition may only refer to parameters and pseudo parameters");
            }
            return;
        }
        checkIntrinsic(fn, m.get(fn), path);
        walkCondition(m.get(fn), path + "." + fn);
    }

    private void checkGlobals() {
        map(template.get("Globals")).forEach((section, settings) -> {
            String path = "Globals." + section;
            String type = TemplateEvaluator.GLOBALS_SECTIONS.get(section);
            if (type == null) {
                error(path, "unknown Globals section" + suggestion(section, TemplateEvaluator.GLOBALS_SECTIONS.keySet()));
                return;
            }
            Set<String> supported = GLOBALS_SUPPORTED.get(section);
            map(settings).keySet().stream().filter(k -> !supported.contains(k))
                    .forEach(k -> error(path, "SAM does not support '" + k + "' in Globals." + section
                            + "; set it on each resource"));
            checkObject(type, type, spec.resourceProperties(type), settings, path, false);
        });
    }

    private void checkResource(String id, Object value) {
        String path = "Resources." + id;
        if (!(value instanceof Map)) {
            error(path, "a resource must be a mapping");
            return;
        }
        Map<String, Object> resource = map(value);
        resource.keySet().stream().filter(k -> !RESOURCE_KEYS.contains(k))
                .forEach(k -> error(path, "unknown resource attribute '" + k + "'" + suggestion(k, RESOURCE_KEYS)));
        Object typeValue = resource.get("Type");
        if (!(typeValue instanceof String type)) {
            error(path, "missing Type");
            return;
        }
        Object props = resource.getOrDefault("Properties", Map.of());
        if (type.startsWith("Custom::") || "AWS::CloudFormation::CustomResource".equals(type)) {
            if (!map(props).containsKey("ServiceToken")) {
                error(path + ".Properties", "missing required property 'ServiceToken' of " + type);
            }
        } else if (!spec.hasResourceType(type)) {
            error(path + ".Type", "unknown resource type '" + type + "'" + suggestion(type, spec.resourceTypeNames()));
        } else {
            JsonNode propSpecs = spec.resourceProperties(type);
            checkObject(type, type, propSpecs, props, path + ".Properties", false);
            Map<String, Object> effective = TemplateEvaluator.withGlobals(template, type, map(props));
            propSpecs.fields().forEachRemaining(p -> {
                if (p.getValue().path("Required").asBoolean() && !effective.containsKey(p.getKey())) {
                    error(path + ".Properties", "missing required property '" + p.getKey() + "' of " + type);
                }
            });
            if ("AWS::Serverless::Function".equals(type)) {
                checkSamFunctionRules(effective, path + ".Properties");
            }
        }
        Object dependsOn = resource.get("DependsOn");
        for (Object target : dependsOn instanceof List<?> l ? l : dependsOn == null ? List.of() : List.of(dependsOn)) {
            if (!(target instanceof String t) || !resources.containsKey(t)) {
                error(path + ".DependsOn", "'" + target + "' is not a resource of this template");
            }
        }
        if (resource.containsKey("Condition") && !conditions.containsKey(resource.get("Condition"))) {
            error(path + ".Condition", "unknown condition '" + resource.get("Condition") + "'");
        }
        for (String policy : List.of("DeletionPolicy", "UpdateReplacePolicy")) {
            if (resource.containsKey(policy) && !RETENTION_POLICIES.contains(String.valueOf(resource.get(policy)))) {
                error(path + "." + policy, "must be one of " + new TreeSet<>(RETENTION_POLICIES));
            }
        }
    }

    /** SAM's own rules (not in the spec): where the code comes from, and what a zip function needs. */
    private void checkSamFunctionRules(Map<String, Object> effective, String path) {
        if ("Image".equals(effective.get("PackageType"))) {
            if (!effective.containsKey("ImageUri")) {
                error(path, "a PackageType Image function needs ImageUri");
            }
            return;
        }
        boolean codeUri = effective.containsKey("CodeUri");
        boolean inline = effective.containsKey("InlineCode");
        if (!codeUri && !inline) {
            error(path, "missing required property 'CodeUri' (or InlineCode) of AWS::Serverless::Function,"
                    + " neither on the function nor in Globals.Function");
        } else if (codeUri && inline) {
            error(path, "CodeUri and InlineCode exclude each other");
        }
        for (String required : List.of("Runtime", "Handler")) {
            if (!effective.containsKey(required)) {
                error(path, "missing required property '" + required + "' of a zip AWS::Serverless::Function"
                        + " (neither on the function nor in Globals.Function)");
            }
        }
    }

    private void checkOutputs() {
        map(template.get("Outputs")).forEach((name, value) -> {
            String path = "Outputs." + name;
            Map<String, Object> output = map(value);
            output.keySet().stream().filter(k -> !OUTPUT_KEYS.contains(k))
                    .forEach(k -> error(path, "unknown output attribute '" + k + "'" + suggestion(k, OUTPUT_KEYS)));
            if (!output.containsKey("Value")) {
                error(path, "missing Value");
            }
            if (output.containsKey("Condition") && !conditions.containsKey(output.get("Condition"))) {
                error(path + ".Condition", "unknown condition '" + output.get("Condition") + "'");
            }
        });
    }

    // ---------------------------------------------------------------- property values against the spec

    /**
     * An object whose keys are properties described by {@code propSpecs}.
     *
     * @param ownerType     resource type whose property types are in scope
     * @param typeName      what the object is, for messages and {@link #NEWER_SAM_PROPERTIES}
     * @param checkRequired whether missing required properties are errors (resources check them
     *                      separately, after merging Globals)
     */
    private void checkObject(String ownerType, String typeName, JsonNode propSpecs, Object value, String path,
                             boolean checkRequired) {
        if (isIntrinsic(value)) {
            forEachIfBranch(value, branch -> checkObject(ownerType, typeName, propSpecs, branch, path, checkRequired));
            return;
        }
        if (!(value instanceof Map)) {
            error(path, "expected an object (" + typeName + "), got " + describe(value));
            return;
        }
        Map<String, Object> object = map(value);
        Set<String> known = new TreeSet<>();
        propSpecs.fieldNames().forEachRemaining(known::add);
        Map<String, String> newer = NEWER_SAM_PROPERTIES.getOrDefault(typeName, Map.of());
        object.forEach((key, v) -> {
            String at = path + "." + key;
            JsonNode ps = propSpecs.get(key);
            if (ps != null) {
                checkedProperties++;
                checkValue(ownerType, ps, v, at);
            } else if (newer.containsKey(key)) {
                String checkedAs = newer.get(key);
                if (checkedAs.contains("::")) {
                    checkedProperties++;
                    checkValue(checkedAs, spec.resourceProperties(checkedAs).path(key), v, at);
                } else if (!checkedAs.isEmpty()) {
                    checkedProperties++;
                    checkValue(ownerType, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                            .put("PrimitiveType", checkedAs), v, at);
                }
            } else {
                Set<String> candidates = new TreeSet<>(known);
                candidates.addAll(newer.keySet());
                error(at, "unknown property '" + key + "' of " + typeName + suggestion(key, candidates));
            }
        });
        if (checkRequired) {
            propSpecs.fields().forEachRemaining(p -> {
                if (p.getValue().path("Required").asBoolean() && !object.containsKey(p.getKey())
                        && !NOT_REQUIRED_ERRATA.contains(typeName + "." + p.getKey())) {
                    error(path, "missing required property '" + p.getKey() + "' of " + typeName);
                }
            });
        }
    }

    private void checkValue(String ownerType, JsonNode ps, Object value, String path) {
        if (isIntrinsic(value)) {
            forEachIfBranch(value, branch -> checkValue(ownerType, ps, branch, path));
            return;
        }
        String type = ps.path("Type").asText(null);
        String primitive = ps.path("PrimitiveType").asText(null);
        if ("List".equals(type)) {
            if (!(value instanceof List<?> items)) {
                error(path, "expected a list, got " + describe(value));
                return;
            }
            for (int i = 0; i < items.size(); i++) {
                checkItem(ownerType, ps, items.get(i), path + "[" + i + "]");
            }
        } else if ("Map".equals(type)) {
            if (!(value instanceof Map)) {
                error(path, "expected a map, got " + describe(value));
                return;
            }
            map(value).forEach((k, item) -> checkItem(ownerType, ps, item, path + "." + k));
        } else if (type != null) {
            checkNamedType(ownerType, type, value, path);
        } else if (primitive != null) {
            checkPrimitive(primitive, value, path);
        } else if (ps.has("PrimitiveTypes") || ps.has("Types")) {
            checkAlternatives(ownerType, ps, value, path);
        } else {
            error(path, "the spec gives this property no type");
        }
    }

    private void checkItem(String ownerType, JsonNode ps, Object item, String path) {
        if (isIntrinsic(item)) {
            forEachIfBranch(item, branch -> checkItem(ownerType, ps, branch, path));
            return;
        }
        if (ps.has("ItemType")) {
            checkNamedType(ownerType, ps.get("ItemType").asText(), item, path);
        } else if (ps.has("PrimitiveItemType")) {
            checkPrimitive(ps.get("PrimitiveItemType").asText(), item, path);
        } else {
            error(path, "the spec gives these items no type");
        }
    }

    private void checkNamedType(String ownerType, String name, Object value, String path) {
        if ("AWS::Serverless::Function".equals(ownerType) && "EventSource".equals(name)) {
            checkEventSource(value, path);
            return;
        }
        JsonNode propertyType = spec.propertyType(ownerType, name);
        if (propertyType == null) {
            error(path, "the spec has no property type " + ownerType + "." + name);
        } else if (propertyType.has("Properties")) {
            checkObject(ownerType, ownerType + "." + name, propertyType.get("Properties"), value, path, true);
        } else {
            checkValue(ownerType, propertyType, value, path);
        }
    }

    /** A SAM event source: its {@code Type} decides which property type its {@code Properties} are. */
    private void checkEventSource(Object value, String path) {
        if (isIntrinsic(value)) {
            error(path, "SAM does not resolve intrinsics around a whole event source");
            return;
        }
        JsonNode eventSource = spec.propertyType("AWS::Serverless::Function", "EventSource").get("Properties");
        if (!(value instanceof Map)) {
            error(path, "expected an event source object, got " + describe(value));
            return;
        }
        Map<String, Object> event = map(value);
        for (String key : event.keySet()) {
            if (!eventSource.has(key)) {
                error(path + "." + key, "unknown property '" + key + "' of an event source" + suggestion(key, Set.of("Type", "Properties")));
            }
        }
        if (!(event.get("Type") instanceof String type)) {
            error(path, "missing required property 'Type' of an event source");
            return;
        }
        checkedProperties++;
        String propertyType = EVENT_TYPES.get(type);
        if ("ScheduleV2".equals(type)) {
            Map<String, Object> props = map(event.getOrDefault("Properties", Map.of()));
            props.keySet().stream().filter(k -> !SCHEDULE_V2_PROPERTIES.contains(k)).forEach(k -> error(
                    path + ".Properties." + k, "unknown property '" + k + "' of a ScheduleV2 event source"
                            + suggestion(k, SCHEDULE_V2_PROPERTIES)));
            if (!props.containsKey("ScheduleExpression")) {
                error(path + ".Properties", "missing required property 'ScheduleExpression' of a ScheduleV2 event source");
            }
            return;
        }
        if (propertyType == null) {
            if (!EVENT_TYPES_NEWER_THAN_SPEC.contains(type)) {
                Set<String> all = new TreeSet<>(EVENT_TYPES.keySet());
                all.addAll(EVENT_TYPES_NEWER_THAN_SPEC);
                error(path + ".Type", "unknown event source type '" + type + "'" + suggestion(type, all));
            }
            return;
        }
        JsonNode pt = spec.propertyType("AWS::Serverless::Function", propertyType);
        checkObject("AWS::Serverless::Function", "AWS::Serverless::Function." + propertyType, pt.get("Properties"),
                event.getOrDefault("Properties", Map.of()), path + ".Properties", true);
    }

    /** Properties the spec gives several types (SAM: CodeUri, Policies, CorsConfiguration, ...). */
    private void checkAlternatives(String ownerType, JsonNode ps, Object value, String path) {
        if (value instanceof Map) {
            List<String> types = texts(ps.path("Types"));
            if (types.isEmpty()) {
                error(path, "expected " + texts(ps.path("PrimitiveTypes")) + ", got an object");
                return;
            }
            firstMatching(types, t -> checkNamedType(ownerType, t, value, path), path, "an object of " + types);
        } else if (value instanceof List<?> items) {
            List<String> itemTypes = texts(ps.path("InclusiveItemTypes"));
            List<String> primitiveItemTypes = texts(ps.path("InclusivePrimitiveItemTypes"));
            if (itemTypes.isEmpty() && primitiveItemTypes.isEmpty()) {
                error(path, "a list is not allowed here");
                return;
            }
            for (int i = 0; i < items.size(); i++) {
                Object item = items.get(i);
                String at = path + "[" + i + "]";
                if (isIntrinsic(item)) {
                    continue;
                }
                if (item instanceof Map) {
                    firstMatching(itemTypes, t -> checkNamedType(ownerType, t, item, at), at, "an object of " + itemTypes);
                } else if (primitiveItemTypes.isEmpty()) {
                    error(at, "expected an object of " + itemTypes + ", got " + describe(item));
                } else {
                    firstMatching(primitiveItemTypes, t -> checkPrimitive(t, item, at), at, primitiveItemTypes.toString());
                }
            }
        } else {
            List<String> primitives = texts(ps.path("PrimitiveTypes"));
            if (primitives.isEmpty()) {
                error(path, "expected an object of " + texts(ps.path("Types")) + ", got " + describe(value));
                return;
            }
            firstMatching(primitives, t -> checkPrimitive(t, value, path), path, primitives.toString());
        }
    }

    /** Accepts the value when one candidate check reports nothing; otherwise reports the closest candidate's errors. */
    private void firstMatching(List<String> candidates, java.util.function.Consumer<String> check, String path, String expected) {
        List<String> outer = errors;
        List<String> best = null;
        for (String candidate : candidates) {
            errors = new ArrayList<>();
            check.accept(candidate);
            List<String> found = errors;
            errors = outer;
            if (found.isEmpty()) {
                return;
            }
            if (best == null || found.size() < best.size()) {
                best = found;
            }
        }
        if (candidates.size() > 1) {
            error(path, "matches none of " + expected);
        }
        if (best != null) {
            errors.addAll(best);
        }
    }

    private void checkPrimitive(String primitive, Object value, String path) {
        if (value == null) {
            error(path, "has no value (expected " + primitive + ")");
            return;
        }
        if (value instanceof Map || value instanceof List) {
            if (!"Json".equals(primitive)) {
                error(path, "expected " + primitive + ", got " + describe(value));
            }
            return;
        }
        String text = String.valueOf(value);
        switch (primitive) {
            case "Integer", "Long" -> {
                if (!(value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger)
                        && !text.matches("-?\\d+")) {
                    error(path, "expected " + primitive + ", got '" + text + "'");
                }
            }
            case "Double" -> {
                if (!(value instanceof Number) && !isNumber(text)) {
                    error(path, "expected Double, got '" + text + "'");
                }
            }
            case "Boolean" -> {
                if (!(value instanceof Boolean) && !text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                    error(path, "expected Boolean, got '" + text + "'");
                }
            }
            default -> {
                // String, Json (as a string), Timestamp: any scalar is accepted
            }
        }
    }

    // ---------------------------------------------------------------- intrinsics and references

    /** Visits every value below {@code value}, checking each intrinsic and each dynamic reference. */
    private void walk(Object value, String path) {
        if (value instanceof Map<?, ?> m) {
            if (isIntrinsic(m)) {
                String fn = String.valueOf(m.keySet().iterator().next());
                checkIntrinsic(fn, m.get(fn), path);
                walk(m.get(fn), path + "." + fn);
                return;
            }
            m.forEach((k, v) -> walk(v, path + "." + k));
        } else if (value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                walk(items.get(i), path + "[" + i + "]");
            }
        } else if (value instanceof String text) {
            Matcher dynamic = DYNAMIC_REFERENCE.matcher(text);
            while (dynamic.find()) {
                String service = dynamic.group(1);
                if (!Set.of("ssm", "ssm-secure", "secretsmanager").contains(service)) {
                    error(path, "unknown dynamic reference service '" + service + "'");
                } else if ("secretsmanager".equals(service) && !dynamic.group(2).contains(":SecretString:")) {
                    error(path, "a secretsmanager dynamic reference reads <secret-id>:SecretString:<json-key>");
                }
            }
        }
    }

    private void checkIntrinsic(String fn, Object args, String path) {
        String at = path + "." + fn;
        List<Object> list = list(args);
        switch (fn) {
            case "Ref" -> {
                if (!(args instanceof String target)) {
                    error(at, "Ref takes a logical name, got " + describe(args));
                } else {
                    checkRefTarget(target, at, "Ref to '" + target + "'");
                }
            }
            case "Fn::GetAtt" -> {
                if (!(args instanceof List) || list.size() != 2 || !(list.get(0) instanceof String resource)) {
                    error(at, "Fn::GetAtt takes [resource, attribute] (short form Resource.Attribute), got " + args);
                } else if (list.get(1) instanceof String attribute) {
                    checkGetAtt(resource, attribute, at);
                } else {
                    checkGetAttResource(resource, at);
                }
            }
            case "Fn::Sub" -> checkSub(args, at);
            case "Fn::If" -> {
                if (list.size() != 3 || !(list.get(0) instanceof String condition)) {
                    error(at, "Fn::If takes [condition name, value if true, value if false], got " + args);
                } else if (!conditions.containsKey(condition)) {
                    error(at, "unknown condition '" + condition + "' in Fn::If" + suggestion(condition, conditions.keySet()));
                }
            }
            case "Condition" -> {
                if (!(args instanceof String condition) || !conditions.containsKey(condition)) {
                    error(at, "unknown condition '" + args + "'" + suggestion(String.valueOf(args), conditions.keySet()));
                }
            }
            case "Fn::Equals" -> arity(fn, list, args, 2, 2, at);
            case "Fn::Not" -> arity(fn, list, args, 1, 1, at);
            case "Fn::And", "Fn::Or" -> arity(fn, list, args, 2, 10, at);
            case "Fn::Join", "Fn::Select", "Fn::Split" -> arity(fn, list, args, 2, 2, at);
            case "Fn::FindInMap" -> {
                if (arity(fn, list, args, 3, 4, at) && list.get(0) instanceof String mapName) {
                    if (!mappings.containsKey(mapName)) {
                        error(at, "unknown mapping '" + mapName + "'");
                    } else if (list.get(1) instanceof String top && !map(mappings.get(mapName)).containsKey(top)) {
                        error(at, "mapping '" + mapName + "' has no key '" + top + "'");
                    } else if (list.get(1) instanceof String top && list.get(2) instanceof String second
                            && !map(map(mappings.get(mapName)).get(top)).containsKey(second)) {
                        error(at, "mapping '" + mapName + "." + top + "' has no key '" + second + "'");
                    }
                }
            }
            default -> {
                if (!OTHER_FUNCTIONS.contains(fn)) {
                    error(at, "unknown intrinsic function '" + fn + "'");
                }
            }
        }
    }

    private boolean arity(String fn, List<Object> list, Object args, int min, int max, String at) {
        if (!(args instanceof List) || list.size() < min || list.size() > max) {
            error(at, fn + " takes " + (min == max ? min : min + "-" + max) + " values, got " + args);
            return false;
        }
        return true;
    }

    private void checkRefTarget(String target, String at, String what) {
        if (parameters.containsKey(target) || resources.containsKey(target) || PSEUDO_PARAMETERS.contains(target)
                || generatedResources.containsKey(target) || generatedRefs.contains(target)) {
            return;
        }
        Set<String> names = new TreeSet<>(parameters.keySet());
        names.addAll(resources.keySet());
        names.addAll(PSEUDO_PARAMETERS);
        names.addAll(generatedRefs);
        error(at, what + ": no parameter, resource or pseudo parameter has that name" + suggestion(target, names));
    }

    private String checkGetAttResource(String resource, String at) {
        if (resources.containsKey(resource)) {
            return String.valueOf(map(resources.get(resource)).get("Type"));
        }
        if (generatedResources.containsKey(resource)) {
            return generatedResources.get(resource);
        }
        error(at, "Fn::GetAtt on '" + resource + "', which is not a resource of this template"
                + suggestion(resource, resources.keySet()));
        return null;
    }

    private void checkGetAtt(String resource, String attribute, String at) {
        String type = checkGetAttResource(resource, at);
        if (type == null || type.startsWith("Custom::") || "AWS::CloudFormation::CustomResource".equals(type)) {
            return;
        }
        String attributeType = SAM_GENERATED_TYPE.getOrDefault(type, type);
        if ("AWS::CloudFormation::Stack".equals(attributeType) && attribute.startsWith("Outputs.")) {
            return;
        }
        Set<String> attributes = spec.attributes(attributeType);
        if (!attributes.contains(attribute)) {
            String hint = generatedRefs.contains(resource + "." + attribute)
                    ? " (SAM names " + resource + "." + attribute + " for !Ref, not for !GetAtt)" : "";
            error(at, "Fn::GetAtt " + resource + "." + attribute + ": " + attributeType + " has no attribute '"
                    + attribute + "'; it has " + attributes + hint);
        }
    }

    private void checkSub(Object args, String at) {
        String text;
        Set<String> variables = new HashSet<>();
        if (args instanceof String s) {
            text = s;
        } else if (args instanceof List<?> l && l.size() == 2 && l.get(0) instanceof String s && l.get(1) instanceof Map) {
            text = s;
            variables.addAll(map(l.get(1)).keySet());
        } else {
            error(at, "Fn::Sub takes a string or [string, {variables}], got " + args);
            return;
        }
        Matcher placeholder = SUB_PLACEHOLDER.matcher(text);
        while (placeholder.find()) {
            String name = placeholder.group(1).trim();
            String what = "${" + name + "} in Fn::Sub";
            if (name.startsWith("!") || variables.contains(name)) {
                continue;
            }
            if (name.startsWith("AWS::")) {
                if (!PSEUDO_PARAMETERS.contains(name)) {
                    error(at, what + " is no pseudo parameter" + suggestion(name, PSEUDO_PARAMETERS));
                }
            } else if (name.contains(".") && !generatedRefs.contains(name)) {
                int dot = name.indexOf('.');
                checkGetAtt(name.substring(0, dot), name.substring(dot + 1), at);
            } else {
                checkRefTarget(name, at, what);
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    private void forEachIfBranch(Object intrinsic, java.util.function.Consumer<Object> check) {
        Map<String, Object> fn = map(intrinsic);
        if (fn.containsKey("Fn::If")) {
            List<Object> args = list(fn.get("Fn::If"));
            for (Object branch : args.size() == 3 ? args.subList(1, 3) : List.of()) {
                if (!(isIntrinsic(branch) && "AWS::NoValue".equals(map(branch).get("Ref")))) {
                    check.accept(branch);
                }
            }
        }
        // Ref, GetAtt, Sub, ...: their value is known only at deploy time
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static boolean isNumber(String text) {
        return text.matches("-?\\d+(\\.\\d+)?([eE][-+]?\\d+)?");
    }

    private static String describe(Object value) {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof Map) {
            return "an object " + map(value).keySet();
        }
        if (value instanceof List) {
            return "a list";
        }
        return "'" + value + "'";
    }

    private void error(String path, String message) {
        errors.add(path + ": " + message);
    }

    /** " (did you mean 'X'?)" for the closest candidate within a few edits, else "". */
    static String suggestion(String wrong, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int d = distance(wrong.toLowerCase(), candidate.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = candidate;
            }
        }
        int limit = Math.max(2, wrong.length() / 4);
        return best != null && bestDistance <= limit ? " (did you mean '" + best + "'?)" : "";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    /** Every string in {@code value} (for assertions over whole sections). */
    static Set<String> strings(Object value) {
        Set<String> out = new LinkedHashSet<>();
        if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> out.addAll(strings(v)));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> out.addAll(strings(v)));
        } else if (value instanceof String s) {
            out.add(s);
        }
        return out;
    }
}
