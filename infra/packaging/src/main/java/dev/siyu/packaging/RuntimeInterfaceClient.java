package dev.siyu.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The AWS Lambda runtime interface client as this harness supplies it to function processes, the
 * way Lambda's Java runtimes put it on the class path beside the function: the client itself plus
 * {@code aws-lambda-java-core}, {@code aws-lambda-java-serialization} and {@code utils-lite}
 * (without the last one the client fails with {@code NoClassDefFoundError ... SdkInternalThreadLocal}).
 *
 * @param jars in class path order
 */
public record RuntimeInterfaceClient(List<Path> jars) {

    public static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    /** The client reads this property before unpacking its JNI library into /tmp itself. */
    public static final String JNI_PROPERTY =
            "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    /** One class from each jar the client needs, found as resources so nothing gets initialised. */
    private static final List<String> MARKERS = List.of(
            "com/amazonaws/services/lambda/runtime/api/client/AWSLambda.class",
            "com/amazonaws/services/lambda/runtime/Context.class",
            "com/amazonaws/services/lambda/runtime/serialization/PojoSerializer.class",
            "software/amazon/awssdk/utilslite/SdkInternalThreadLocal.class");

    public RuntimeInterfaceClient {
        jars = List.copyOf(jars);
    }

    /** The client jars this JVM itself was started with (the CLI depends on them). */
    public static RuntimeInterfaceClient fromOwnClassPath() {
        ClassLoader loader = RuntimeInterfaceClient.class.getClassLoader();
        Set<Path> jars = new LinkedHashSet<>();
        for (String marker : MARKERS) {
            URL url = loader.getResource(marker);
            if (url == null) {
                throw new IllegalStateException("runtime interface client class " + marker
                        + " is not on this JVM's class path; the CLI module depends on it");
            }
            jars.add(containerOf(url, marker));
        }
        return new RuntimeInterfaceClient(new ArrayList<>(jars));
    }

    public Path clientJar() {
        return jars.get(0);
    }

    /**
     * Unpacks the client's JNI library for this machine into {@code dir} (once per client jar) and
     * returns it, for {@link #JNI_PROPERTY}. Left to itself the client copies it to the fixed path
     * {@code /tmp/.libaws-lambda-jni.so} at each start, which concurrent function processes on one
     * machine (tests, the local gateway, a benchmark) replace under each other's feet.
     */
    public Path jniLibrary(Path dir) {
        String entry = "jni/libaws-lambda-jni." + platform() + ".so";
        try {
            Path jar = clientJar();
            String stamp = Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis();
            Path target = dir.resolve("libaws-lambda-jni-" + stamp + ".so");
            if (Files.isRegularFile(target)) {
                return target;
            }
            Files.createDirectories(dir);
            Path partial = Files.createTempFile(dir, "libaws-lambda-jni-", ".partial");
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry e = zip.getEntry(entry);
                if (e == null) {
                    throw new IllegalStateException(jar + " has no " + entry);
                }
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + entry + " from " + clientJar(), e);
        }
    }

    /** The client ships glibc and musl builds for x86_64 and aarch64; Lambda is glibc. */
    static String platform() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "aarch_64" : "x86_64";
        boolean musl = Files.exists(Paths.get("/lib/ld-musl-" + (cpu.equals("aarch_64") ? "aarch64" : "x86_64") + ".so.1"));
        return (musl ? "linux_musl-" : "linux-") + cpu;
    }

    private static Path containerOf(URL url, String resource) {
        try {
            String s = url.toString();
            if (s.startsWith("jar:")) {
                String file = s.substring("jar:".length(), s.indexOf("!/"));
                return Paths.get(URI.create(file));
            }
            Path classFile = Paths.get(url.toURI());
            Path root = classFile;
            for (int i = 0; i < resource.split("/").length; i++) {
                root = root.getParent();
            }
            return root;
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot locate the jar of " + url, e);
        }
    }
}
