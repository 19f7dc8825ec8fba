package dev.siyu.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.embedded.UsageException;
import dev.siyu.stack.aws.EmbeddedDynamoDb;
import dev.siyu.stack.wecom.WeComStub;
import dev.siyu.store.AwsClients;
import dev.siyu.store.SiyuTable;
import dev.siyu.store.StoreSettings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** ./siyu apply against a "deployed" table and corp (DynamoDB Local, which keeps one database per region, and the stub standing in). */
class ApplyCommandTest {
    static final Path ROOT = Path.of("../../..").toAbsolutePath().normalize();
    static final Map<String, String> ENV = Map.of("SIYU_WECOM_CORP_ID", "wwrealcorp00000001", "SIYU_WECOM_SECRET", "real-secret",
            "SIYU_WECOM_TOKEN", "realToken", "SIYU_WECOM_AES_KEY", "903vJPcJOTT8dbgGEHT7ejKvECAtbfOr5QEo0snJCTY");
    static EmbeddedDynamoDb dynamo;
    static WeComStub corp;

    @BeforeAll
    static void start() {
        dynamo = EmbeddedDynamoDb.start(0);
        corp = new WeComStub("wwrealcorp00000001", "real-secret").start(0);
        SiyuTable.createIfMissing(new AwsClients(StoreSettings.local("siyu-prod", "", dynamo.endpoint(), dynamo.endpoint()))
                .dynamoDb(), "siyu-prod");
    }

    @AfterAll
    static void stop() {
        corp.close();
        dynamo.close();
    }

    private String apply(Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = ApplyCommand.run(List.of("--config", "config/scrm.example.yaml", "--region", "us-east-1", "--table", "siyu-prod",
                "--dynamodb", dynamo.endpoint().toString(), "--wecom-api-base-url", corp.baseUrl()),
                new PrintStream(out, true, StandardCharsets.UTF_8), ROOT, env);
        assertThat(code).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void applyingStoresTheNextVersionAndCreatesEachCodeOnce() {
        String first = apply(ENV);
        assertThat(first).contains("config version 1").contains("state=parcel_card_east").contains("state=in_store.hz01");
        assertThat(corp.calls("externalcontact/add_contact_way")).hasSize(4);

        String second = apply(ENV);
        assertThat(second).contains("config version 2");
        assertThat(corp.calls("externalcontact/add_contact_way")).as("printed QR codes stay valid").hasSize(4);
    }

    @Test
    void theLocalDefaultsNeverReachARealCorp() {
        assertThatThrownBy(() -> apply(Map.of("SIYU_WECOM_CORP_ID", "wwrealcorp00000001")))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("SIYU_WECOM_SECRET").hasMessageContaining("SIYU_WECOM_TOKEN");
    }
}
