package dev.siyu.template;

import static dev.siyu.template.TemplateEvaluator.list;
import static dev.siyu.template.TemplateEvaluator.map;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Writes one deployable template per {@code DeploymentVariant} next to the build output:
 * {@code <out>/<variant>/template.json}.
 *
 * <p>Why: {@code template.yaml} picks each function's artifact with {@code !If} on the variant. SAM
 * CLI's packager uploads only literal local paths (an intrinsic is left as it is) and the SAM
 * transform rejects a {@code CodeUri} object without Bucket and Key, so that template cannot be
 * deployed as it is (aws/aws-sam-cli#4308, aws/serverless-application-model#2516). Each rendered
 * template pins the variant (its only allowed value) and has every packaged local path resolved to a
 * literal, relative to the rendered file; everything else is left to CloudFormation as written.
 *
 * <p>Run by the Maven build of infra/template ({@code package}); arguments: the template, the output directory.
 */
public final class RenderVariantTemplates {

    public static final String VARIANT_PARAMETER = "DeploymentVariant";

    /** The property holding a local path that {@code sam package} uploads, per resource type. */
    static final Map<String, String> PACKAGED_PROPERTY = Map.of(
            "AWS::Serverless::Function", "CodeUri",
            "AWS::Serverless::LayerVersion", "ContentUri",
            "AWS::Serverless::Api", "DefinitionUri",
            "AWS::Serverless::HttpApi", "DefinitionUri",
            "AWS::Serverless::StateMachine", "DefinitionUri",
            "AWS::Serverless::Application", "Location");

    private RenderVariantTemplates() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: RenderVariantTemplates <template.yaml> <output directory>");
        }
        for (Path written : render(Path.of(args[0]), Path.of(args[1]))) {
            System.out.println("[siyu] deployable template: " + written);
        }
    }

    public static List<Path> render(Path templateFile, Path outDir) throws IOException {
        Path templateDir = templateFile.toAbsolutePath().getParent();
        Map<String, Object> source = CfnYaml.load(templateFile);
        List<Object> variants = list(map(map(source.get("Parameters")).get(VARIANT_PARAMETER)).get("AllowedValues"));
        if (variants.isEmpty()) {
            throw new IllegalArgumentException(templateFile + " has no parameter " + VARIANT_PARAMETER + " with AllowedValues");
        }
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<Path> written = new ArrayList<>();
        for (Object variant : variants) {
            Map<String, Object> template = CfnYaml.load(templateFile);
            Path dir = outDir.resolve(String.valueOf(variant)).toAbsolutePath();
            resolvePackagedPaths(template, String.valueOf(variant), templateDir, dir);
            Files.createDirectories(dir);
            Path file = dir.resolve("template.json");
            json.writeValue(file.toFile(), template);
            written.add(file);
        }
        return written;
    }

    /** Rewrites {@code template} in place for one variant (see the class comment). */
    static void resolvePackagedPaths(Map<String, Object> template, String variant, Path templateDir, Path outDir) {
        TemplateEvaluator evaluator = TemplateEvaluator.of(template, Map.of(VARIANT_PARAMETER, variant));
        Map<String, Object> globals = map(template.get("Globals"));
        TemplateEvaluator.GLOBALS_SECTIONS.forEach((section, type) -> {
            String property = PACKAGED_PROPERTY.get(type);
            Map<String, Object> settings = map(globals.get(section));
            if (property != null && settings.containsKey(property)) {
                settings.put(property, relocate(evaluator.resolveIfs(settings.get(property)), "Globals." + section, templateDir, outDir));
            }
        });
        map(template.get("Resources")).forEach((id, resource) -> {
            String property = PACKAGED_PROPERTY.get(String.valueOf(map(resource).get("Type")));
            Map<String, Object> properties = map(map(resource).get("Properties"));
            if (property != null && properties.containsKey(property)) {
                properties.put(property, relocate(evaluator.resolveIfs(properties.get(property)), id, templateDir, outDir));
            }
        });
        Map<String, Object> parameter = map(map(template.get("Parameters")).get(VARIANT_PARAMETER));
        parameter.put("Default", variant);
        parameter.put("AllowedValues", List.of(variant));
        template.put("Description", template.getOrDefault("Description", "") + " [" + VARIANT_PARAMETER + " " + variant
                + "; rendered from template.yaml by infra/template: edit that file, not this one]");
    }

    private static Object relocate(Object value, String owner, Path templateDir, Path outDir) {
        if (TemplateEvaluator.isIntrinsic(value)) {
            throw new IllegalStateException(owner + ": the packaged path is still an intrinsic after resolving Fn::If ("
                    + value + "); sam package would not upload it");
        }
        if (value instanceof String path && !path.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
            Path target = templateDir.resolve(path).normalize();
            return outDir.relativize(target).toString().replace('\\', '/');
        }
        return value; // s3://..., an S3 object {Bucket, Key}, or absent
    }
}
