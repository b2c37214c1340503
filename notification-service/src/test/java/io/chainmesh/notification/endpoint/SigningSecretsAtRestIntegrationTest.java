package io.chainmesh.notification.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.common.crypto.EnvelopeCipher;
import io.chainmesh.common.events.EventPublisher;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.notification.NotificationServiceTestBase;
import io.chainmesh.notification.support.StandardWebhooksVerifier;
import io.chainmesh.notification.support.TestEvents;
import io.chainmesh.notification.support.TestReceiver;
import tools.jackson.databind.JsonNode;

/**
 * Signing secrets are stored only sealed (AES-256-GCM, bound to their row), plaintext left by earlier versions is
 * sealed at start, and a key-encryption key rotation keeps every secret usable. Reads the raw rows from PostgreSQL.
 */
class SigningSecretsAtRestIntegrationTest extends NotificationServiceTestBase {

    private static TestReceiver receiver;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SigningSecretCipher secrets;

    @Autowired
    SigningSecretResealer resealer;

    @Autowired
    EventPublisher publisher;

    @Autowired
    Environment environment;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new TestReceiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void theStoredRowHoldsTheSecretInNoFormBeforeOrAfterARotation() throws Exception {
        UUID tenant = UUID.randomUUID();
        JsonNode created = createEndpoint(tenant, "https://example.com/hooks");
        UUID id = UUID.fromString(created.path("id").asString());
        String first = created.path("secret").asString();

        assertNoFormOf(first, id);
        assertThat(rawRow(id)).containsEntry("secret", null).containsEntry("previous_secret", null)
                .containsEntry("secret_key_id", "dev-1");

        String second = JSON.readTree(mvc.perform(post("/v1/webhooks/" + id + "/rotate-secret")
                        .header(Identity.HEADER, tokenFor(tenant)).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"overlapSeconds\":3600}"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString()).path("secret").asString();

        assertNoFormOf(first, id);
        assertNoFormOf(second, id);
        Map<String, Object> row = rawRow(id);
        assertThat(row.get("sealed_previous_secret")).isNotNull();
        assertThat(secrets.open(tenant, id, sealed(row, "secret_key_id", "sealed_secret"))).isEqualTo(second);
        assertThat(secrets.open(tenant, id, sealed(row, "previous_secret_key_id", "sealed_previous_secret")))
                .isEqualTo(first);
    }

    @Test
    void aSealedSecretCopiedOntoAnotherEndpointDoesNotOpenThere() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID victim = UUID.fromString(createEndpoint(tenant, "https://example.com/a").path("id").asString());
        UUID attacker = UUID.fromString(createEndpoint(tenant, "https://example.com/b").path("id").asString());
        EnvelopeCipher.Sealed victimSecret = sealed(rawRow(victim), "secret_key_id", "sealed_secret");

        assertThatThrownBy(() -> secrets.open(tenant, attacker, victimSecret))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failed authentication");
        assertThatThrownBy(() -> secrets.open(UUID.randomUUID(), victim, victimSecret))
                .isInstanceOf(IllegalStateException.class);
    }

    /**
     * A row as versions before encryption at rest left it (plaintext current and previous secret) is sealed by the
     * start-up pass; deliveries then carry both signatures, which the standardwebhooks package verifies with the
     * original plaintext secrets.
     */
    @Test
    void plaintextSecretsOfEarlierVersionsAreSealedAtStartAndStillSign() throws Exception {
        UUID tenant = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        String path = "/hooks/" + UUID.randomUUID();
        String current = WebhookSecret.generate();
        String previous = WebhookSecret.generate();
        jdbc.sql("""
                INSERT INTO webhook_endpoints (id, tenant_id, url, secret, previous_secret, previous_secret_expires_at,
                                               created_at, updated_at)
                VALUES (:id, :tenant, :url, :secret, :previous, :expires, now(), now())""")
                .param("id", id).param("tenant", tenant).param("url", receiver.url(path))
                .param("secret", current).param("previous", previous)
                .param("expires", Timestamp.from(Instant.now().plus(Duration.ofHours(1)))).update();

        resealer.afterPropertiesSet();

        assertNoFormOf(current, id);
        assertNoFormOf(previous, id);
        assertThat(rawRow(id)).containsEntry("secret", null).containsEntry("previous_secret", null);

        publisher.publish(TX_STREAM, TestEvents.transaction(tenant, "CONFIRMED"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !receiver.at(path).isEmpty());
        List<TestReceiver.Received> received = receiver.at(path);
        assertThat(received.get(0).headers().get("webhook-signature").split(" ")).hasSize(2);
        assertThat(StandardWebhooksVerifier.verify(current, received).get(0).ok()).isTrue();
        assertThat(StandardWebhooksVerifier.verify(previous, received).get(0).ok()).isTrue();
    }

    /**
     * The whole upgrade and rotation path in a schema of its own (so the running service's rows and key are not
     * touched): rows written at schema version 2 hold plaintext; after migrating and the start-up pass they are sealed
     * under dev-1; after dev-1 is retired in favour of k2 they still open, the next start-up re-seals them under k2,
     * and then k2 alone opens them.
     */
    @Test
    void upgradeSealsOldRowsAndAKeyRotationReSealsThemUnderTheNewKey() {
        String schema = "signing_secrets_" + UUID.randomUUID().toString().replace("-", "");
        jdbc.sql("CREATE SCHEMA " + schema).update();
        try {
            DataSource dataSource = new DriverManagerDataSource(
                    environment.getRequiredProperty("spring.datasource.url") + "?currentSchema=" + schema,
                    environment.getRequiredProperty("spring.datasource.username"),
                    environment.getProperty("spring.datasource.password", ""));
            Flyway.configure().dataSource(dataSource).schemas(schema).locations("classpath:db/migration").target("2")
                    .load().migrate();
            JdbcClient scoped = JdbcClient.create(dataSource);
            UUID tenant = UUID.randomUUID();
            UUID one = UUID.randomUUID();
            UUID two = UUID.randomUUID();
            String secretOne = WebhookSecret.generate();
            String secretTwo = WebhookSecret.generate();
            String previousTwo = WebhookSecret.generate();
            for (UUID id : List.of(one, two)) {
                scoped.sql("""
                        INSERT INTO webhook_endpoints (id, tenant_id, url, secret, previous_secret, created_at, updated_at)
                        VALUES (:id, :tenant, 'https://example.com/h', :secret, :previous, now(), now())""")
                        .param("id", id).param("tenant", tenant).param("secret", id.equals(one) ? secretOne : secretTwo)
                        .param("previous", id.equals(one) ? null : previousTwo).update();
            }

            Flyway.configure().dataSource(dataSource).schemas(schema).locations("classpath:db/migration").load().migrate();
            byte[] devKey = Base64.getDecoder().decode(
                    environment.getRequiredProperty("chainmesh.notification.signing-secrets.keys.dev-1"));
            byte[] k2 = new byte[32];
            Arrays.fill(k2, (byte) 42);
            SigningSecretCipher dev = new SigningSecretCipher(new EnvelopeCipher("dev-1", Map.of("dev-1", devKey)));
            startUp(dataSource, scoped, dev);

            List<Map<String, Object>> rows = scoped.sql("SELECT * FROM webhook_endpoints ORDER BY seq").query().listOfRows();
            assertThat(rows).hasSize(2).allSatisfy(row -> {
                assertThat(row.get("secret")).isNull();
                assertThat(row.get("previous_secret")).isNull();
                assertThat(row.get("secret_key_id")).isEqualTo("dev-1");
            });
            assertThat(rows.get(0).get("sealed_previous_secret")).isNull();
            assertThat(dev.open(tenant, one, sealed(rows.get(0), "secret_key_id", "sealed_secret"))).isEqualTo(secretOne);
            assertThat(dev.open(tenant, two, sealed(rows.get(1), "previous_secret_key_id", "sealed_previous_secret")))
                    .isEqualTo(previousTwo);
            for (String secret : List.of(secretOne, secretTwo, previousTwo)) {
                assertThat(rowText(scoped, null)).doesNotContain(secret).doesNotContain(secret.substring(6));
            }

            SigningSecretCipher rotated = new SigningSecretCipher(
                    new EnvelopeCipher("k2", Map.of("dev-1", devKey, "k2", k2)));
            assertThat(rotated.open(tenant, two, sealed(rows.get(1), "secret_key_id", "sealed_secret")))
                    .as("a row under the retired key still opens").isEqualTo(secretTwo);
            startUp(dataSource, scoped, rotated);

            SigningSecretCipher k2Only = new SigningSecretCipher(new EnvelopeCipher("k2", Map.of("k2", k2)));
            rows = scoped.sql("SELECT * FROM webhook_endpoints ORDER BY seq").query().listOfRows();
            assertThat(rows).allSatisfy(row -> assertThat(row.get("secret_key_id")).isEqualTo("k2"));
            assertThat(rows.get(1).get("previous_secret_key_id")).isEqualTo("k2");
            assertThat(k2Only.open(tenant, one, sealed(rows.get(0), "secret_key_id", "sealed_secret"))).isEqualTo(secretOne);
            assertThat(k2Only.open(tenant, two, sealed(rows.get(1), "secret_key_id", "sealed_secret"))).isEqualTo(secretTwo);
            assertThat(k2Only.open(tenant, two, sealed(rows.get(1), "previous_secret_key_id", "sealed_previous_secret")))
                    .isEqualTo(previousTwo);

            // A start-up whose configuration lost the key the rows are under refuses to run rather than fail every delivery.
            SigningSecretCipher lostKey = new SigningSecretCipher(new EnvelopeCipher("k3",
                    Map.of("k3", HexFormat.of().parseHex("07".repeat(32)))));
            assertThatThrownBy(() -> startUp(dataSource, scoped, lostKey))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("'k2'").hasMessageContaining("not configured");
        } finally {
            jdbc.sql("DROP SCHEMA " + schema + " CASCADE").update();
        }
    }

    private static void startUp(DataSource dataSource, JdbcClient scoped, SigningSecretCipher cipher) {
        new SigningSecretResealer(new WebhookEndpointRepository(scoped), cipher,
                new TransactionTemplate(new DataSourceTransactionManager(dataSource))).afterPropertiesSet();
    }

    /** The secret, its key (base64 with and without padding, base64url, hex) and its bytes in hex appear nowhere. */
    private void assertNoFormOf(String secret, UUID id) {
        byte[] key = WebhookSecret.keyOf(secret);
        byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        String keyBase64 = secret.substring(WebhookSecret.PREFIX.length());
        List<String> forms = List.of(secret, keyBase64, keyBase64.replace("=", ""),
                Base64.getUrlEncoder().withoutPadding().encodeToString(key),
                Base64.getEncoder().encodeToString(secretBytes),
                HexFormat.of().formatHex(key), HexFormat.of().formatHex(secretBytes));
        String text = rowText(jdbc, id);
        assertThat(text).contains(id.toString());
        for (String form : forms) {
            assertThat(text.toLowerCase()).as("stored row").doesNotContain(form.toLowerCase());
        }
        Map<String, Object> row = rawRow(id);
        for (String column : List.of("sealed_secret", "sealed_previous_secret")) {
            byte[] stored = (byte[]) row.get(column);
            if (stored != null) {
                assertThat(indexOf(stored, key)).as(column + " holds the key bytes").isNegative();
                assertThat(indexOf(stored, secretBytes)).as(column + " holds the secret bytes").isNegative();
            }
        }
    }

    /** Every column of the row (or of every row), as PostgreSQL renders it; bytea comes out as hex. */
    private static String rowText(JdbcClient jdbc, UUID id) {
        return String.join("\n", jdbc.sql("SELECT row_to_json(e)::text FROM webhook_endpoints e WHERE "
                        + (id == null ? "true" : "id = :id"))
                .params(id == null ? Map.of() : Map.of("id", id)).query(String.class).list());
    }

    private Map<String, Object> rawRow(UUID id) {
        return jdbc.sql("SELECT * FROM webhook_endpoints WHERE id = :id").param("id", id).query().singleRow();
    }

    private static EnvelopeCipher.Sealed sealed(Map<String, Object> row, String keyIdColumn, String bytesColumn) {
        return new EnvelopeCipher.Sealed((String) row.get(keyIdColumn), (byte[]) row.get(bytesColumn));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
