package dev.siyu.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.journey.Action;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** The blueprint names the picture files of cards and images; a file that is not there is an error at its line. */
class PictureFieldsTest {
    static final Path CONFIG = Path.of("../../config").toAbsolutePath().normalize();
    static final Predicate<String> BESIDE_IT = p -> Files.isRegularFile(CONFIG.resolve(p));

    static String example() throws IOException {
        return Files.readString(CONFIG.resolve("scrm.example.yaml"));
    }

    @Test
    void theExamplesCardsNameTheirPicturesAndTheFilesAreThere() throws IOException {
        ScrmConfig config = new ConfigLoader().load(CONFIG.resolve("scrm.example.yaml"));

        List<String> pictures = config.journeys().stream().flatMap(j -> j.steps().stream()).map(s -> s.action())
                .map(a -> a instanceof Action.SendMessage m ? m.picture()
                        : a instanceof Action.IssueCoupon c ? c.picture() : null)
                .filter(Objects::nonNull).toList();
        assertThat(pictures).contains("media/guide-card.png", "media/trial-card.png", "media/repurchase-card.png",
                "media/coupon-card.png");
        assertThat(config.sopCalendar().templates().get("welfare_group_sop").miniProgramPicture())
                .isEqualTo("media/sop-card.png");
        assertThat(pictures).allSatisfy(p -> assertThat(CONFIG.resolve(p)).isRegularFile());
    }

    @Test
    void aPictureFileThatIsNotThereIsAnErrorAtItsLine() throws IOException {
        String yaml = example().replace("picture: media/guide-card.png", "picture: media/gide-card.png");

        assertThatThrownBy(() -> new ConfigLoader().load(yaml, "scrm.example.yaml", BESIDE_IT))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).hasSize(1);
                    ConfigProblem p = e.problems().get(0);
                    assertThat(p.line()).isEqualTo(lineOf(yaml, "media/gide-card.png"));
                    assertThat(p.message()).isEqualTo(
                            "picture file 'media/gide-card.png' does not exist under the blueprint's directory");
                });
    }

    @Test
    void aPictureOutsideTheBlueprintsDirectoryOrNotAPictureIsRefused() throws IOException {
        String yaml = example().replace("picture: media/guide-card.png", "picture: ../secrets.txt");

        assertThatThrownBy(() -> new ConfigLoader().load(yaml, "scrm.example.yaml", BESIDE_IT))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems().get(0).message())
                        .startsWith("picture '../secrets.txt' must be a .png or .jpg file under the blueprint's directory"));
    }

    @Test
    void aLinkMessageTakesNoPicture() throws IOException {
        String yaml = example().replace("url: \"https://survey.example.com/effectiveness\"",
                "url: \"https://survey.example.com/effectiveness\"\n          picture: media/guide-card.png");

        assertThatThrownBy(() -> new ConfigLoader().load(yaml, "scrm.example.yaml", BESIDE_IT))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems().get(0).message())
                        .isEqualTo("picture: is for an image or a miniprogram message (its cover), not link"));
    }

    @Test
    void anImageMessageIsItsPictureWithoutAUrl() throws IOException {
        String yaml = example().replace("""
                          kind: miniprogram
                          content: value
                          title: "How to get the most out of your first order"
                          url: "pages/guide/index"
                """, """
                          kind: image
                          content: value
                """);

        ScrmConfig config = new ConfigLoader().load(yaml, "scrm.example.yaml", BESIDE_IT);

        assertThat(config.journeys().stream().flatMap(j -> j.steps().stream()).map(s -> s.action())
                .filter(a -> a instanceof Action.SendMessage m && m.kind() == Action.MessageKind.IMAGE))
                .containsExactly(new Action.SendMessage(Action.MessageKind.IMAGE, dev.siyu.core.gate.ContentClass.VALUE,
                        "Here is a 3-minute guide to using your products for the best results.", null, null,
                        "media/guide-card.png"));
    }

    static int lineOf(String text, String spot) {
        return 1 + (int) text.substring(0, text.indexOf(spot)).chars().filter(c -> c == '\n').count();
    }
}
