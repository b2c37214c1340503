package io.chainmesh.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import tools.jackson.databind.JsonNode;

/** Managed and imported wallets; keys sealed at rest and never shown. */
class WalletIntegrationTest extends ContractServiceTestBase {

    // anvil's well-known development account #1
    private static final String KEY = "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
    private static final String ADDRESS = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    @Autowired
    JdbcClient jdbc;

    @Test
    void aManagedWalletHasAChecksummedAddressAndNoKeyMaterial() {
        UUID tenant = UUID.randomUUID();
        JsonNode w = expect(201, post("/v1/wallets"), tokenFor(tenant), "{\"name\":\"hot\"}");
        assertThat(w.get("address").asString()).matches("0x[0-9a-fA-F]{40}");
        assertThat(w.get("origin").asString()).isEqualTo("managed");
        assertThat(w.propertyNames()).containsExactlyInAnyOrder("id", "name", "address", "origin", "createdAt");
        JsonNode listed = getJson("/v1/wallets", tokenFor(tenant));
        assertThat(listed.get("items")).hasSize(1);
        assertThat(listed.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void anImportedKeyIsSealedAtRestAndNeverEchoed() {
        UUID tenant = UUID.randomUUID();
        JsonNode w = expect(201, post("/v1/wallets"), tokenFor(tenant), "{\"name\":\"imported\",\"privateKey\":\"" + KEY + "\"}");
        assertThat(w.get("address").asString()).isEqualTo(ADDRESS);
        assertThat(w.get("origin").asString()).isEqualTo("imported");
        assertThat(w.toString()).doesNotContain(KEY.substring(2));
        byte[] sealed = jdbc.sql("SELECT sealed_key FROM wallets WHERE id = :id").param("id", UUID.fromString(w.get("id").asString()))
                .query(byte[].class).single();
        assertThat(java.util.HexFormat.of().formatHex(sealed)).doesNotContain(KEY.substring(2));
        assertThat(sealed.length).isEqualTo(12 + 32 + 16);
        String keyId = jdbc.sql("SELECT key_id FROM wallets WHERE id = :id").param("id", UUID.fromString(w.get("id").asString()))
                .query(String.class).single();
        assertThat(keyId).isEqualTo("dev-1");

        JsonNode duplicate = expect(409, post("/v1/wallets"), tokenFor(tenant), "{\"privateKey\":\"" + KEY + "\"}");
        assertThat(duplicate.get("code").asString()).isEqualTo("wallet_exists");
    }

    @Test
    void aMalformedPrivateKeyIs400NamingTheField() {
        JsonNode problem = expect(400, post("/v1/wallets"), tokenFor(UUID.randomUUID()), "{\"privateKey\":\"0x1234\"}");
        assertThat(problem.get("code").asString()).isEqualTo("invalid_private_key");
        assertThat(problem.get("field").asString()).isEqualTo("privateKey");
        assertThat(problem.toString()).doesNotContain("0x1234");
    }

    @Test
    void anotherTenantsWalletIs404AndNoTokenIs401() {
        JsonNode w = expect(201, post("/v1/wallets"), tokenFor(UUID.randomUUID()), "{}");
        expect(404, get("/v1/wallets/" + w.get("id").asString()), tokenFor(UUID.randomUUID()), null);
        expect(401, get("/v1/wallets"), null, null);
    }
}
