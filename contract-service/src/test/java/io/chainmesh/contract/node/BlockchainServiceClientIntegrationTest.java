package io.chainmesh.contract.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.chainmesh.common.http.InternalHttpClients;
import io.chainmesh.common.problem.ApiException;
import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.ContractServiceTestBase;
import io.chainmesh.contract.FakeBlockchainService;
import io.chainmesh.contract.TestChains;
import io.chainmesh.testing.AnvilProcess;
import io.chainmesh.testing.HttpStandIn;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** blockchain-service's answers, over real HTTP, become this service's problems with their stable codes. */
class BlockchainServiceClientIntegrationTest extends ContractServiceTestBase {

    @Autowired
    BlockchainServiceClient blockchain;

    @Autowired
    InternalHttpClients clients;

    @Autowired
    ContractProperties properties;

    @Autowired
    JsonMapper json;

    @Test
    void anotherTenantsNodeIsNotFoundAndAStoppedOneIsNotRunning() {
        UUID owner = UUID.randomUUID();
        UUID node = FakeBlockchainService.get().addNode(owner, TestChains.automining());

        assertThatThrownBy(() -> blockchain.node(UUID.randomUUID(), node)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo("not_found"));

        FakeBlockchainService.get().setStatus(node, "STOPPED");
        assertThatThrownBy(() -> blockchain.rpc(owner, node, JsonNodeFactory.instance.objectNode()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo("node_not_running");
                    assertThat(e.status().value()).isEqualTo(409);
                });
    }

    @Test
    void aNodeAnswerIsReadAsItsRecordIgnoringFieldsAddedLater() {
        UUID tenant = UUID.randomUUID();
        UUID node = UUID.randomUUID();
        try (HttpStandIn standIn = HttpStandIn.start()) {
            standIn.route("GET", "/internal/nodes/([^/]+)", request -> HttpStandIn.Response.json(200, """
                    {"id":"%s","tenantId":"%s","name":"n","protocol":"ethereum","network":"custom-evm","chainId":null,\
                    "status":"PROVISIONING","driver":"external","addedLater":{"x":1}}""".formatted(node, tenant)));
            ChainNode answer = client(standIn.url()).node(tenant, node);

            assertThat(answer).isEqualTo(new ChainNode(node, tenant, "n", "ethereum", "custom-evm", 0, "PROVISIONING",
                    "external"));
            assertThat(standIn.requests().getFirst().header("X-Chainmesh-Identity")).isNotBlank();
        }
    }

    @Test
    void aBlockchainServiceThatFailsOrCannotBeReachedMakesTheChainUnavailable() {
        try (HttpStandIn standIn = HttpStandIn.start()) {
            standIn.route("POST", "/internal/nodes/([^/]+)/rpc", request -> HttpStandIn.Response.problem(502, "upstream"));
            assertThatThrownBy(() -> client(standIn.url()).rpc(UUID.randomUUID(), UUID.randomUUID(),
                    JsonNodeFactory.instance.objectNode())).isInstanceOfSatisfying(ChainUnavailableException.class,
                            e -> assertThat(e.code()).isEqualTo("chain_unavailable"));
        }
        BlockchainServiceClient unreachable = client("http://127.0.0.1:1");
        assertThatThrownBy(() -> unreachable.node(UUID.randomUUID(), UUID.randomUUID()))
                .isInstanceOfSatisfying(ChainUnavailableException.class, e -> {
                    assertThat(e.code()).isEqualTo("chain_unavailable");
                    assertThat(e.status().value()).isEqualTo(503);
                });
    }

    private BlockchainServiceClient client(String url) {
        ContractProperties.Blockchain b = properties.blockchain();
        return new BlockchainServiceClient(clients, new ContractProperties(new ContractProperties.Blockchain(URI.create(url),
                b.connectTimeout(), b.readTimeout(), b.failureRate(), b.openFor(), b.maxInFlight(), b.maxBatchCalls(),
                b.maxBatchBytes()), properties.custody(), properties.transactions(), properties.subscriptions()), json);
    }
}
