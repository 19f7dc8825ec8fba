package dev.siyu.models.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.analytics.profiles.ProfileScoring;
import dev.siyu.core.config.ScoringSettings;
import dev.siyu.core.port.CustomerScorer;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 model store through the AWS SDK v2 client the scoring function uses (URL-connection HTTP client, path-style)
 * against an S3 REST server on 127.0.0.1: a training's files published together under models/&lt;tenant&gt;/, the
 * latest pointer last, so a publication that dies before its pointer leaves the previous model whole.
 */
class S3ModelStoreTest {
    static final String BUCKET = "siyu-models-test";
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    S3ObjectServer server;
    S3Client s3;

    @BeforeEach
    void start() throws IOException {
        server = new S3ObjectServer(BUCKET);
        System.setProperty("aws.accessKeyId", "local");
        System.setProperty("aws.secretAccessKey", "local");
        s3 = ModelBucket.client("ap-east-1", Optional.of(server.endpoint()));
    }

    @AfterEach
    void stop() {
        s3.close();
        server.close();
    }

    S3ModelStore store() {
        return new S3ModelStore(s3, BUCKET, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    static Map<String, byte[]> model(String name) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model.ubj", ("booster " + name).getBytes(StandardCharsets.UTF_8));
        files.put("model-card.json", ("{\"model\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8));
        files.put("scoring.json", ("{\"fit\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8));
        return files;
    }

    static String text(Optional<byte[]> b) {
        return b.map(x -> new String(x, StandardCharsets.UTF_8)).orElse(null);
    }

    @Test
    void aPublishedModelLoadsWholeInAnotherInstanceAndThePointerIsWrittenLast() {
        store().publish("brand-a", model("first"));
        S3ModelStore cold = store();
        assertThat(text(cold.load("brand-a", "model.ubj"))).isEqualTo("booster first");
        assertThat(text(cold.load("brand-a", "model-card.json"))).isEqualTo("{\"model\":\"first\"}");
        assertThat(text(cold.load("brand-a", "scoring.json"))).isEqualTo("{\"fit\":\"first\"}");
        List<String> puts = server.puts();
        assertThat(puts).hasSize(4).last().isEqualTo("models/brand-a/latest.json");
        assertThat(puts.subList(0, 3)).allSatisfy(k -> assertThat(k).startsWith("models/brand-a/20261201T000000Z-"));
        assertThat(cold.version("brand-a")).hasValueSatisfying(v -> assertThat(puts.get(0)).contains("/" + v + "/"));
    }

    @Test
    void nothingPublishedLoadsNothing() {
        assertThat(store().load("brand-a", "scoring.json")).isEmpty();
        assertThat(store().version("brand-a")).isEmpty();
    }

    /** A crash (or a refused write) after the new objects and before the pointer: the old model stays, whole. */
    @Test
    void aPublicationThatDiesBeforeItsPointerLeavesThePreviousModelWhole() {
        store().publish("brand-a", model("first"));
        server.refusePuts(key -> key.endsWith("latest.json"));
        assertThatThrownBy(() -> store().publish("brand-a", model("second"))).isInstanceOf(S3Exception.class);
        assertThat(server.keys()).filteredOn(k -> k.endsWith("model.ubj")).hasSize(2);
        S3ModelStore cold = store();
        assertThat(text(cold.load("brand-a", "model.ubj"))).isEqualTo("booster first");
        assertThat(text(cold.load("brand-a", "scoring.json"))).isEqualTo("{\"fit\":\"first\"}");
        // and a failed upload of the booster itself publishes nothing either
        server.refusePuts(key -> key.endsWith("model.ubj"));
        assertThatThrownBy(() -> store().publish("brand-a", model("third"))).isInstanceOf(S3Exception.class);
        assertThat(text(store().load("brand-a", "scoring.json"))).isEqualTo("{\"fit\":\"first\"}");
    }

    /** The nightly tier cuts rewrite the fit alone: the booster and card of the last training stay published. */
    @Test
    void oneFileSavedKeepsTheOtherFilesOfThePreviousPublication() {
        store().publish("brand-a", model("first"));
        store().save("brand-a", "scoring.json", "{\"fit\":\"first, new cuts\"}".getBytes(StandardCharsets.UTF_8));
        S3ModelStore cold = store();
        assertThat(text(cold.load("brand-a", "scoring.json"))).isEqualTo("{\"fit\":\"first, new cuts\"}");
        assertThat(text(cold.load("brand-a", "model.ubj"))).isEqualTo("booster first");
    }

    /**
     * Two publications at once (a training's booster and the night's tier cuts): the other writer's pointer lands
     * between this one's read and write. The conditional write is refused (412), the pointer read again and merged,
     * so neither publication's file is lost.
     */
    @Test
    void aPointerWrittenMeanwhileIsMergedNotOverwritten() {
        store().publish("brand-a", model("first"));
        String pointer = "models/brand-a/latest.json";
        server.beforeNextPut(pointer, () -> {
            server.write("models/brand-a/other/model.ubj", "booster other".getBytes(StandardCharsets.UTF_8));
            server.write(pointer, ("{\"version\":\"other\",\"files\":{\"model.ubj\":\"models/brand-a/other/model.ubj\","
                    + "\"model-card.json\":\"" + server.keys().stream().filter(k -> k.endsWith("model-card.json")).findFirst().orElseThrow()
                    + "\",\"scoring.json\":\"" + server.keys().stream().filter(k -> k.endsWith("scoring.json")).findFirst().orElseThrow()
                    + "\"}}").getBytes(StandardCharsets.UTF_8));
        });

        store().save("brand-a", "scoring.json", "{\"fit\":\"new cuts\"}".getBytes(StandardCharsets.UTF_8));

        S3ModelStore cold = store();
        assertThat(text(cold.load("brand-a", "scoring.json"))).isEqualTo("{\"fit\":\"new cuts\"}");
        assertThat(text(cold.load("brand-a", "model.ubj"))).isEqualTo("booster other");
    }

    /** Two first publications at once: the second's If-None-Match: * is refused, and it merges onto the first. */
    @Test
    void theFirstPointerIsCreatedOnce() {
        String pointer = "models/brand-a/latest.json";
        server.beforeNextPut(pointer, () -> {
            server.write("models/brand-a/other/model.ubj", "booster other".getBytes(StandardCharsets.UTF_8));
            server.write(pointer, "{\"version\":\"other\",\"files\":{\"model.ubj\":\"models/brand-a/other/model.ubj\"}}"
                    .getBytes(StandardCharsets.UTF_8));
        });

        store().save("brand-a", "scoring.json", "{\"fit\":\"first\"}".getBytes(StandardCharsets.UTF_8));

        S3ModelStore cold = store();
        assertThat(text(cold.load("brand-a", "scoring.json"))).isEqualTo("{\"fit\":\"first\"}");
        assertThat(text(cold.load("brand-a", "model.ubj"))).isEqualTo("booster other");
    }

    @Test
    void tenantsKeepTheirOwnModels() {
        store().publish("brand-a", model("a"));
        store().publish("brand-b", model("b"));
        assertThat(text(store().load("brand-a", "model.ubj"))).isEqualTo("booster a");
        assertThat(text(store().load("brand-b", "model.ubj"))).isEqualTo("booster b");
        assertThat(server.keys()).allSatisfy(k -> assertThat(k).matches("models/brand-[ab]/.+"));
    }

    /** The product's scoring through the S3 store: trained by one instance, loaded and applied by a cold one. */
    @Test
    void profileScoringTrainsIntoS3AndAColdInstanceScoresWithTheStoredModel() {
        List<CustomerScorer.Customer> customers = customers(400);
        ProfileScoring night = new ProfileScoring(null, store(), line -> { });
        String trained = night.train("brand-a", customers, NOW, ScoringSettings.DEFAULTS);
        assertThat(trained).startsWith("bgnbd: ");
        assertThat(server.keys()).contains("models/brand-a/latest.json")
                .anySatisfy(k -> assertThat(k).endsWith("/scoring.json"));
        List<CustomerScorer.Scored> warm = night.score("brand-a", customers.subList(0, 5), NOW, ScoringSettings.DEFAULTS);
        int putsBefore = server.puts().size();
        ProfileScoring cold = new ProfileScoring(null, store(), line -> { });
        List<CustomerScorer.Scored> again = cold.score("brand-a", customers.subList(0, 5), NOW, ScoringSettings.DEFAULTS);
        // the cold instance did not train again: it read the published model and scored the same
        assertThat(server.puts()).hasSize(putsBefore);
        for (int i = 0; i < 5; i++) {
            assertThat(again.get(i).churn()).isEqualTo(warm.get(i).churn());
            assertThat(again.get(i).scores().clv()).isEqualTo(warm.get(i).scores().clv());
        }
    }

    static List<CustomerScorer.Customer> customers(int n) {
        SplittableRandom rnd = new SplittableRandom(7);
        List<CustomerScorer.Customer> out = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            Instant added = NOW.minus(Duration.ofDays(100 + rnd.nextInt(300)));
            CustomerProfile p = new CustomerProfile("brand-a", "c" + c, "C" + c, null, "code", "Code", null, "shanghai",
                    Set.of(), Map.of(), Map.of(), added, added);
            List<TimelineEvent> timeline = new ArrayList<>();
            double rate = 0.01 + rnd.nextDouble() * 0.05;
            double life = rnd.nextDouble() * 400;
            for (int d = 1; d < Duration.between(added, NOW).toDays(); d++) {
                if (d < life && rnd.nextDouble() < rate) {
                    timeline.add(new TimelineEvent("e" + c + "-" + d, added.plus(Duration.ofDays(d)), "purchase", null,
                            Map.of("amount", String.valueOf(50 + rnd.nextInt(200)))));
                }
            }
            out.add(new CustomerScorer.Customer(p, timeline));
        }
        return out;
    }
}
