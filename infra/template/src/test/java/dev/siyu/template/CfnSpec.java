package dev.siyu.template;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The CloudFormation resource specification as shipped in npm {@code @aws-cdk/cfnspec}
 * ({@code spec/specification.json}: the CloudFormation spec with the SAM spec's
 * {@code AWS::Serverless::*} types merged in by the package's build).
 */
final class CfnSpec {

    private final JsonNode resourceTypes;
    private final JsonNode propertyTypes;
    private final String version;

    private CfnSpec(JsonNode root) {
        this.resourceTypes = root.path("ResourceTypes");
        this.propertyTypes = root.path("PropertyTypes");
        this.version = root.path("ResourceSpecificationVersion").asText();
    }

    static CfnSpec load(Path specificationJson) throws IOException {
        JsonNode root = new ObjectMapper().readTree(specificationJson.toFile());
        newerSamProperties(root);
        return new CfnSpec(root);
    }

    /**
     * SAM properties newer than the SAM types merged into this spec snapshot, each as SAM documents it: the
     * HTTP API's IAM authorizer, {@code Auth.EnableIamAuthorizer} (Boolean; sam-property-httpapi-httpapiauth, "Specify
     * whether to use IAM authorization for the API route"), which the admin API needs for DefaultAuthorizer AWS_IAM.
     */
    private static void newerSamProperties(JsonNode root) {
        JsonNode auth = root.path("PropertyTypes").path("AWS::Serverless::HttpApi.HttpApiAuth").path("Properties");
        if (auth instanceof com.fasterxml.jackson.databind.node.ObjectNode properties && !properties.has("EnableIamAuthorizer")) {
            properties.putObject("EnableIamAuthorizer").put("PrimitiveType", "Boolean").put("Required", false)
                    .put("UpdateType", "Immutable").put("Documentation", "https://docs.aws.amazon.com/serverless-application-model"
                            + "/latest/developerguide/sam-property-httpapi-httpapiauth.html#sam-httpapi-httpapiauth-enableiamauthorizer");
        }
    }

    String version() {
        return version;
    }

    boolean hasResourceType(String type) {
        return resourceTypes.has(type);
    }

    Set<String> resourceTypeNames() {
        Set<String> names = new TreeSet<>();
        resourceTypes.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** The {@code Properties} object of a resource type (name -> property spec); missing node if unknown. */
    JsonNode resourceProperties(String type) {
        return resourceTypes.path(type).path("Properties");
    }

    Set<String> attributes(String type) {
        Set<String> names = new LinkedHashSet<>();
        resourceTypes.path(type).path("Attributes").fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * A property type named in a property spec's Type/ItemType: {@code <resource type>.<name>},
     * or a shared one such as {@code Tag}; {@code null} when the spec has neither.
     */
    JsonNode propertyType(String resourceType, String name) {
        JsonNode scoped = propertyTypes.get(resourceType + "." + name);
        return scoped != null ? scoped : propertyTypes.get(name);
    }
}
