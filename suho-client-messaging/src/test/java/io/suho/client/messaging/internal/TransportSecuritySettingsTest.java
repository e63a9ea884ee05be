package io.suho.client.messaging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.suho.client.core.ConfigKey;
import io.suho.client.core.ConfigurationException;
import io.suho.client.core.Store;
import io.suho.client.core.StoreKeys;
import io.suho.client.core.SuhoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kafka SASL and NATS credentials-file / NKey settings, settable from the environment and {@code *_FILE}. */
class TransportSecuritySettingsTest {

    private static SuhoConfig config(Store store, List<ConfigKey<?>> moduleKeys, Map<String, String> env) {
        List<ConfigKey<?>> keys = new ArrayList<>(StoreKeys.common(store));
        keys.addAll(moduleKeys);
        return SuhoConfig.create(Map.of(), new Properties(), env, keys);
    }

    @Test
    void kafkaSaslComesFromTheEnvironmentAndAFileAndIsNeverPrinted(@TempDir Path dir) throws Exception {
        Path pw = Files.writeString(dir.resolve("kafka-pw"), "s3cr\"et-pw\n");
        SuhoConfig c = config(Store.KAFKA, KafkaSettings.keys(), Map.of("KAFKA_BROKERS", "k1:9093",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_SASL_USERNAME", "orders",
                "KAFKA_SASL_PASSWORD_FILE", pw.toString(), "SUHO_KAFKA_TLS", "true"));
        KafkaSettings s = KafkaSettings.from(c, Duration.ofSeconds(1));
        Properties p = s.connection();
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(p.getProperty("sasl.jaas.config")).isEqualTo("org.apache.kafka.common.security.scram."
                + "ScramLoginModule required username=\"orders\" password=\"s3cr\\\"et-pw\";");
        assertThat(s.toString()).doesNotContain("s3cr").contains("sasl.jaas.config=****");
    }

    @Test
    void kafkaTrustsAPemCaFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        SuhoConfig c = config(Store.KAFKA, KafkaSettings.keys(), Map.of("KAFKA_BROKERS", "k1:9093",
                "SUHO_KAFKA_TLS", "true", "KAFKA_TLS_CA_FILE", ca.toString()));
        Properties p = KafkaSettings.from(c, Duration.ofSeconds(1)).connection();
        assertThat(p.getProperty("security.protocol")).isEqualTo("SSL");
        assertThat(p.getProperty("ssl.truststore.type")).isEqualTo("PEM");
        assertThat(p.getProperty("ssl.truststore.location")).isEqualTo(ca.toString());
        SuhoConfig missing = config(Store.KAFKA, KafkaSettings.keys(), Map.of("KAFKA_BROKERS", "k1:9093",
                "KAFKA_TLS_CA_FILE", dir.resolve("none.pem").toString()));
        assertThatThrownBy(() -> KafkaSettings.from(missing, Duration.ofSeconds(1)))
                .hasMessageContaining("suho.kafka.tls.ca-file");
    }

    @Test
    void kafkaSaslWithoutItsPasswordIsAConfigurationError() {
        SuhoConfig c = config(Store.KAFKA, KafkaSettings.keys(), Map.of("KAFKA_BROKERS", "k1:9092",
                "KAFKA_SASL_MECHANISM", "PLAIN", "KAFKA_SASL_USERNAME", "orders"));
        assertThatThrownBy(() -> KafkaSettings.from(c, Duration.ofSeconds(1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("suho.kafka.sasl.password");
        SuhoConfig plain = config(Store.KAFKA, KafkaSettings.keys(), Map.of("KAFKA_BROKERS", "k1:9092"));
        assertThat(KafkaSettings.from(plain, Duration.ofSeconds(1)).connection().getProperty("security.protocol"))
                .isNull();
    }

    @Test
    void natsTrustsAPemCa(@TempDir Path dir) throws Exception {
        // a real certificate, made by keytool like an operator would
        Path ks = dir.resolve("ca.p12");
        Path pem = dir.resolve("ca.pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        for (String[] cmd : new String[][] {
                {keytool, "-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=ca",
                        "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12", "-storepass", "pw-123456"},
                {keytool, "-exportcert", "-rfc", "-alias", "ca", "-keystore", ks.toString(), "-storetype", "PKCS12",
                        "-storepass", "pw-123456", "-file", pem.toString()}}) {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor()).isZero();
        }
        assertThat(NatsSettings.sslContext(config(Store.NATS, NatsSettings.keys(),
                Map.of("NATS_TLS_CA_FILE", pem.toString())))).isPresent();
        assertThat(NatsSettings.sslContext(config(Store.NATS, NatsSettings.keys(), Map.of()))).isEmpty();
        Path notPem = Files.writeString(dir.resolve("x.pem"), "not a certificate");
        assertThatThrownBy(() -> NatsSettings.sslContext(config(Store.NATS, NatsSettings.keys(),
                Map.of("NATS_TLS_CA_FILE", notPem.toString())))).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("suho.nats.tls.ca-file");
    }

    @Test
    void natsCredentialsFileAndNKeySeedAreChecked(@TempDir Path dir) throws Exception {
        assertThat(NatsSettings.authHandler(config(Store.NATS, NatsSettings.keys(), Map.of()))).isEmpty();
        assertThatThrownBy(() -> NatsSettings.authHandler(config(Store.NATS, NatsSettings.keys(),
                Map.of("NATS_CREDS", dir.resolve("missing.creds").toString()))))
                .hasMessageContaining("suho.nats.creds-file").hasMessageContaining("not a readable file");
        assertThatThrownBy(() -> NatsSettings.authHandler(config(Store.NATS, NatsSettings.keys(),
                Map.of("NATS_NKEY_SEED", "not-a-seed-value"))))
                .hasMessageContaining("suho.nats.nkey-seed").hasMessageNotContaining("not-a-seed-value");
        Path creds = Files.writeString(dir.resolve("user.creds"), "placeholder");
        assertThat(NatsSettings.authHandler(config(Store.NATS, NatsSettings.keys(),
                Map.of("NATS_CREDS", creds.toString())))).isPresent();
        assertThat(NatsSettings.authHandler(config(Store.NATS, NatsSettings.keys(),
                Map.of("NATS_NKEY_SEED", "SUAIBDPBAUTWCWBKIO6XHQNINK5FWJW4OHLXC3HQ2KFE4PEJUA44CNHTC4")))).isPresent();
    }
}
