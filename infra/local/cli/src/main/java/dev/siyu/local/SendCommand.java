package dev.siyu.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.SignedCallbacks;
import dev.siyu.embedded.UsageException;
import dev.siyu.wecom.CallbackVerifier;
import dev.siyu.wecom.WeComSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./siyu send EVENT.json}: an {@code events/} callback sample, its CreateTime set to now, signed again
 * with the time now and posted to the local gateway. The samples carry the fixed timestamp they were signed with, and the
 * function refuses a signed timestamp more than ten minutes from now as a replay.
 */
final class SendCommand {
    static final String DEFAULT_GATEWAY = "http://127.0.0.1:3000";

    private SendCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err, Path root)
            throws IOException, InterruptedException {
        if (argv.isEmpty() || argv.get(0).startsWith("--")) {
            throw new UsageException("send needs an events/ callback sample, e.g. events/wecom-callback-add-external-contact.json");
        }
        Path file = Path.of(argv.get(0));
        CliArgs args = CliArgs.parse(argv.subList(1, argv.size()), Set.of(), Set.of("gateway"));
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no such file: " + file);
        }
        JsonNode sample = new ObjectMapper().readTree(file.toFile());
        String body = sample.path("body").asText(null);
        if (body == null || !sample.path("queryStringParameters").has("msg_signature")) {
            throw new UsageException(file + " is not a signed callback sample (no body or msg_signature)");
        }
        Map<String, String> query = new HashMap<>();
        sample.path("queryStringParameters").fields().forEachRemaining(e -> query.put(e.getKey(), e.getValue().asText()));
        WeComSettings settings = LocalEnv.load(root, System.getenv()).wecom();
        // The sample is opened with the signature it carries (its age is the point), then signed anew.
        String plaintext = new CallbackVerifier(settings).decrypt(query, body);
        // The event happens now: journeys time their steps from CreateTime, so the sample's old one would make
        // every delayed step due at once.
        plaintext = plaintext.replaceFirst("<CreateTime>\\d+</CreateTime>",
                "<CreateTime>" + java.time.Instant.now().getEpochSecond() + "</CreateTime>");
        SignedCallbacks.Reply reply = new SignedCallbacks(settings)
                .post(args.string("gateway", DEFAULT_GATEWAY), new SignedCallbacks(settings).encrypt(plaintext));
        out.println(reply.status() + " " + reply.body());
        return reply.status() == 200 ? 0 : 1;
    }
}
