package dev.siyu.template;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Provides the CloudFormation spec to the tests. The spec comes from npm: {@code package.json} in
 * this module declares {@code @aws-cdk/cfnspec}; when {@code node_modules} does not hold the
 * declared version yet (a fresh clone), this runs {@code npm install} in the module directory
 * first. No npm means a failed test with an explanation, never a skipped check.
 */
final class CfnSpecFixture {

    static final String PACKAGE = "@aws-cdk/cfnspec";

    /** Surefire runs in the module directory; the property lets an IDE point elsewhere. */
    static final Path MODULE_DIR = Path.of(System.getProperty("siyu.template.module", "")).toAbsolutePath();

    /** The template under test: the repository root's template.yaml. */
    static final Path TEMPLATE = MODULE_DIR.resolve("../../template.yaml").normalize();

    private static CfnSpec spec;

    private CfnSpecFixture() {
    }

    static synchronized CfnSpec spec() throws IOException {
        if (spec == null) {
            Path file = ensureInstalled().resolve("spec/specification.json");
            spec = CfnSpec.load(file);
        }
        return spec;
    }

    /** The installed package directory, installing it with npm when missing or of another version. */
    static Path ensureInstalled() throws IOException {
        ObjectMapper json = new ObjectMapper();
        String wanted = json.readTree(MODULE_DIR.resolve("package.json").toFile())
                .path("devDependencies").path(PACKAGE).asText();
        Path installed = MODULE_DIR.resolve("node_modules").resolve(PACKAGE);
        if (!wanted.equals(installedVersion(json, installed))) {
            npmInstall();
            String now = installedVersion(json, installed);
            if (!wanted.equals(now)) {
                fail("npm install finished but " + installed + " holds version " + now + ", not " + wanted);
            }
        }
        if (!Files.isRegularFile(installed.resolve("spec/specification.json"))) {
            fail(PACKAGE + " " + wanted + " has no spec/specification.json: the package layout changed");
        }
        return installed;
    }

    private static String installedVersion(ObjectMapper json, Path installed) throws IOException {
        Path manifest = installed.resolve("package.json");
        return Files.isRegularFile(manifest) ? json.readTree(manifest.toFile()).path("version").asText() : null;
    }

    private static void npmInstall() throws IOException {
        String npm = System.getProperty("os.name", "").toLowerCase().startsWith("windows") ? "npm.cmd" : "npm";
        List<String> command = List.of(npm, "install", "--no-audit", "--no-fund", "--ignore-scripts");
        Path log = Files.createTempFile("siyu-npm-install", ".log");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(MODULE_DIR.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            fail("The template check needs npm (Node.js) to fetch the CloudFormation resource specification ("
                    + PACKAGE + ", declared in " + MODULE_DIR.resolve("package.json") + "), and `" + npm
                    + "` could not be started: " + e.getMessage() + ". Install Node.js with npm (e.g. `apt-get install npm`)"
                    + " or run `npm install` in " + MODULE_DIR + " once.");
            return;
        }
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail("`" + String.join(" ", command) + "` in " + MODULE_DIR + " did not finish within 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while running npm install");
        }
        if (process.exitValue() != 0) {
            fail("`" + String.join(" ", command) + "` in " + MODULE_DIR + " failed (exit " + process.exitValue()
                    + "); it fetches the CloudFormation spec the template is checked against. Output:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        Files.deleteIfExists(log);
    }
}
