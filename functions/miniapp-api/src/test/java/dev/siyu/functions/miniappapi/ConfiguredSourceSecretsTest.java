package dev.siyu.functions.miniappapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The secrets as AWS hands them over (the ingest secret's sources) and as config/local.env does (one per source). */
class ConfiguredSourceSecretsTest {
    @Test
    void theSecretsSourcesListNamesEachSource() {
        ConfiguredSourceSecrets s = new ConfiguredSourceSecrets(
                Optional.of("pos=pos-secret-0123456789 webshop=shop-secret-0123456789"), source -> Optional.empty());

        assertThat(s.secret("pos")).map(b -> new String(b, StandardCharsets.UTF_8)).contains("pos-secret-0123456789");
        assertThat(s.secret("webshop")).isPresent();
        assertThat(s.secret("erp")).isEmpty();
    }

    @Test
    void oneVariablePerSourceLocally() {
        ConfiguredSourceSecrets s = new ConfiguredSourceSecrets(Optional.empty(),
                source -> source.equals("pos") ? Optional.of("siyu-local-pos-secret") : Optional.empty());

        assertThat(s.secret("pos")).isPresent();
        assertThat(s.secret("email")).isEmpty();
    }

    @Test
    void aGuessableSecretStopsTheFunctionAtStart() {
        assertThatThrownBy(() -> new ConfiguredSourceSecrets(Optional.of("{\"pos\": \"short\"}"), x -> Optional.empty()))
                .hasMessageContaining("source pos has 5 bytes");
    }
}
