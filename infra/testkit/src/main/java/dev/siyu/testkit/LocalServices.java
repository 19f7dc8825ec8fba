package dev.siyu.testkit;

import dev.siyu.stack.aws.EmbeddedDynamoDb;
import dev.siyu.stack.aws.EmbeddedSqs;
import dev.siyu.stack.wecom.WeComStub;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The three local servers a function test talks to (DynamoDB Local, ElasticMQ, the WeCom stub), on
 * free ports, with the WeCom stub accepting the corp id and secret of {@code config/local.env}.
 * Creating the table and queue and applying a blueprint is left to the caller: that needs
 * siyu-store, which itself tests against this module, so it cannot be a dependency here.
 */
public final class LocalServices implements AutoCloseable {
    private final Path root;
    private final Map<String, String> env;
    private final EmbeddedDynamoDb dynamo;
    private final EmbeddedSqs sqs;
    private final WeComStub stub;

    private LocalServices(Path root, Map<String, String> env, EmbeddedDynamoDb dynamo, EmbeddedSqs sqs, WeComStub stub) {
        this.root = root;
        this.env = env;
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.stub = stub;
    }

    /** Starts all three on free loopback ports; whatever started is stopped again if one fails. */
    public static LocalServices start(Clock stubClock) {
        Path root = RepositoryRoot.find();
        Map<String, String> env = localEnv(root);
        EmbeddedDynamoDb dynamo = null;
        EmbeddedSqs sqs = null;
        WeComStub stub = null;
        try {
            dynamo = EmbeddedDynamoDb.start(0);
            sqs = EmbeddedSqs.start(0);
            stub = new WeComStub(env.get("SIYU_WECOM_CORP_ID"), env.get("SIYU_WECOM_SECRET"), stubClock).start(0)
                    .withDirectory(env.get("SIYU_WECOM_CONTACTS_SECRET"), root.resolve("config/local-directory.yaml"));
            return new LocalServices(root, env, dynamo, sqs, stub);
        } catch (RuntimeException e) {
            closeQuietly(stub, e);
            closeQuietly(sqs, e);
            closeQuietly(dynamo, e);
            throw e;
        }
    }

    public static LocalServices start() {
        return start(Clock.systemUTC());
    }

    /** The repository root: events/, config/ and template.yaml live here. */
    public Path root() {
        return root;
    }

    /** config/local.env as a map (SIYU_TENANT, SIYU_WECOM_CORP_ID, _TOKEN, _AES_KEY, _SECRET). */
    public Map<String, String> env() {
        return env;
    }

    public EmbeddedDynamoDb dynamo() {
        return dynamo;
    }

    public EmbeddedSqs sqs() {
        return sqs;
    }

    public WeComStub stub() {
        return stub;
    }

    /** A file of the repository as text, e.g. {@code config/scrm.example.yaml}. */
    public String read(String relativePath) {
        try {
            return Files.readString(root.resolve(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + relativePath + " under " + root, e);
        }
    }

    /** One of the events/ samples as text. */
    public String event(String name) {
        return read("events/" + name);
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (AutoCloseable c : new AutoCloseable[] {stub, sqs, dynamo}) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    static Map<String, String> localEnv(Path root) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(root.resolve("config/local.env"))) {
            p.load(r);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config/local.env under " + root, e);
        }
        Map<String, String> env = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> env.put(k, p.getProperty(k).trim()));
        return Map.copyOf(env);
    }

    private static void closeQuietly(AutoCloseable c, RuntimeException cause) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            cause.addSuppressed(e);
        }
    }
}
