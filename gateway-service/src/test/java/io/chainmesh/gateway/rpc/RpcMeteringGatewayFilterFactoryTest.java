package io.chainmesh.gateway.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.Ordered;

import io.chainmesh.gateway.GatewayProperties;
import io.chainmesh.gateway.web.FilterOrder;
import jakarta.validation.Validation;
import jakarta.validation.Validator;

class RpcMeteringGatewayFilterFactoryTest {

    private static final GatewayProperties.Rpc PRICES = new GatewayProperties.Rpc(
            Map.of("eth_blockNumber", 10, "eth_call", 26, "eth_chainId", 0), 20);

    private final RpcMeteringGatewayFilterFactory factory = new RpcMeteringGatewayFilterFactory();

    @Test
    void aSingleCallCostsItsMethodsPrice() {
        assertThat(cost("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_call\",\"params\":[]}"))
                .isEqualTo(new RpcCost(26, 1, "eth_call", Map.of("eth_call", 1)));
        assertThat(cost("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"}"))
                .isEqualTo(new RpcCost(0, 1, "eth_chainId", Map.of("eth_chainId", 1)));
    }

    @Test
    void aBatchCostsTheSumAndOneTokenPerCall() {
        assertThat(cost("[{\"method\":\"eth_call\"},{\"method\":\"eth_call\"},{\"method\":\"eth_blockNumber\"},"
                + "{\"method\":\"debug_unknown\"},{\"id\":5}]"))
                .isEqualTo(new RpcCost(26 + 26 + 10 + 20 + 20, 5, "batch",
                        Map.of("eth_call", 2, "eth_blockNumber", 1, "debug_unknown", 1)));
    }

    @Test
    void aBodyThatIsNotJsonRpcCostsOneCallAtTheDefaultPrice() {
        RpcCost unreadable = new RpcCost(20, 1, null, Map.of());

        assertThat(cost("not json")).isEqualTo(unreadable);
        assertThat(cost("[]")).isEqualTo(unreadable);
        assertThat(cost("42")).isEqualTo(unreadable);
        assertThat(cost("")).isEqualTo(unreadable);
        assertThat(cost("{\"jsonrpc\":\"2.0\"}")).isEqualTo(new RpcCost(20, 1, null, Map.of()));
    }

    @Test
    void theFilterRunsAtItsPlaceInTheChain() {
        assertThat(((Ordered) factory.apply(PRICES)).getOrder()).isEqualTo(FilterOrder.RPC_METERING)
                .isGreaterThan(FilterOrder.CALLER_AUTHENTICATION).isLessThan(FilterOrder.TENANT_LIMITS);
    }

    @Test
    void aNegativePriceIsRefusedAtStart() {
        Validator validator = Validation.buildDefaultValidatorFactory().getValidator();

        assertThat(validator.validate(new GatewayProperties.Rpc(Map.of("eth_call", -1), 20))).hasSize(1);
        assertThat(validator.validate(new GatewayProperties.Rpc(Map.of(), -1))).hasSize(1);
        assertThat(validator.validate(PRICES)).isEmpty();
    }

    private RpcCost cost(String body) {
        return factory.costOf(body.getBytes(StandardCharsets.UTF_8), PRICES);
    }
}
