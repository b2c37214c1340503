package io.chainmesh.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** Many concurrent sends from one wallet: contiguous nonces, no duplicates, every one mined. */
class NonceConcurrencyIntegrationTest extends ContractServiceTestBase {

    @Test
    void sixtyConcurrentSendsGetContiguousNoncesAndAllConfirm() throws Exception {
        Tenant t = newTenant();
        String instanceId = deploy(t, registerArtifact(t, "ChainmeshToken.hardhat.json"), "[\"T\", \"T\", 1000000]");
        int sends = 60;
        List<Future<JsonNode>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < sends; i++) {
                futures.add(pool.submit(() -> expect(202, post("/v1/instances/" + instanceId + "/send/transfer"), t.token(),
                        "{\"walletId\":\"" + t.walletId() + "\",\"args\":[\"0x000000000000000000000000000000000000dEaD\", 1]}")));
            }
        }
        List<Long> nonces = new ArrayList<>();
        for (Future<JsonNode> f : futures) {
            JsonNode tx = f.get();
            nonces.add(tx.get("nonce").asLong());
        }
        // nonce 0 went to the deployment
        assertThat(nonces).containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, sends).boxed().toList());
        for (Future<JsonNode> f : futures) {
            await("/v1/transactions/" + f.get().get("id").asString(), t.token(), Duration.ofSeconds(30),
                    tx -> tx.get("status").asString().equals("CONFIRMED"));
        }
        assertThat(call(t, instanceId, "balanceOf", "[\"0x000000000000000000000000000000000000dEaD\"]").get("outputs").get("0").asString())
                .isEqualTo(String.valueOf(sends));
        assertThat(TestChains.automining().rpc("eth_getTransactionCount", t.address(), "latest").asString()).isEqualTo("0x" + Integer.toHexString(sends + 1));
    }
}
