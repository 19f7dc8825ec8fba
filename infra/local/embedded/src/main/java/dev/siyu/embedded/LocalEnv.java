package dev.siyu.embedded;

import dev.siyu.wecom.WeComSettings;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The local stack's settings: the process environment first, then config/local.env, so a
 * developer can point the stack at their own test corp's token and key without editing files.
 */
public record LocalEnv(Path root, Map<String, String> processEnv, Properties file) {

    public static final String ROOT_PROPERTY = "siyu.root";

    /** The project root: the script sets siyu.root; otherwise the working directory. */
    public static Path defaultRoot() {
        return Path.of(System.getProperty(ROOT_PROPERTY, ".")).toAbsolutePath().normalize();
    }

    public static LocalEnv load(Path root, Map<String, String> processEnv) {
        Properties props = new Properties();
        Path file = root.resolve("config/local.env");
        if (Files.isRegularFile(file)) {
            try (Reader r = Files.newBufferedReader(file)) {
                props.load(r);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return new LocalEnv(root, Map.copyOf(processEnv), props);
    }

    public String get(String key) {
        String v = processEnv.get(key);
        if (v != null && !v.isBlank()) {
            return v;
        }
        v = file.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException(key + " is not set in the environment or in " + root.resolve("config/local.env"));
        }
        return v.trim();
    }

    /** Where a value came from, printed next to it so "why is my token wrong" has an answer. */
    public String source(String key) {
        String v = processEnv.get(key);
        return v != null && !v.isBlank() ? "environment" : "config/local.env";
    }

    /** The Mini Program's app id: SIYU_MINIAPP_APP_ID, else the local default the function uses too. */
    public String miniAppId() {
        String v = processEnv.getOrDefault("SIYU_MINIAPP_APP_ID", file.getProperty("SIYU_MINIAPP_APP_ID", ""));
        return v.isBlank() ? DEFAULT_MINIAPP_APP_ID : v.trim();
    }

    /** template.yaml's and the function's default app id (application.properties). */
    public static final String DEFAULT_MINIAPP_APP_ID = "wx0000000000000000";

    /** With the contacts secret when one is set: the local stub answers the directory to it alone. */
    public WeComSettings wecom() {
        String contacts = processEnv.getOrDefault("SIYU_WECOM_CONTACTS_SECRET", "");
        if (contacts.isBlank()) {
            contacts = file.getProperty("SIYU_WECOM_CONTACTS_SECRET", "");
        }
        return WeComSettings.of(get("SIYU_WECOM_CORP_ID"), get("SIYU_WECOM_SECRET"), get("SIYU_WECOM_TOKEN"),
                get("SIYU_WECOM_AES_KEY")).withContactsSecret(contacts.isBlank() ? null : contacts.trim());
    }
}
