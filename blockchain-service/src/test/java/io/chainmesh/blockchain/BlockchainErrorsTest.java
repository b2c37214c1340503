package io.chainmesh.blockchain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;

/** The catalogue of error codes clients match on: stable, unique, each documented. */
class BlockchainErrorsTest {

    @Test
    void everyCodeIsUniqueSnakeCaseAndDocumented() {
        List<String> codes = Arrays.stream(BlockchainErrors.values()).map(BlockchainErrors::code).toList();
        assertThat(codes).doesNotHaveDuplicates().allMatch(code -> code.matches("[a-z]+(_[a-z]+)*"));
        assertThat(BlockchainErrors.values()).allSatisfy(error -> {
            assertThat(error.title()).as(error.code()).isNotBlank();
            assertThat(error.description()).as(error.code()).isNotBlank().endsWith(".");
            assertThat(error.status().isError()).as(error.code()).isTrue();
        });
    }

    @Test
    void theCodesAreTheOnesClientsKnow() {
        assertThat(Arrays.stream(BlockchainErrors.values()).map(BlockchainErrors::code)).containsExactly(
                "invalid_parameter", "invalid_cursor", "unknown_network", "unsupported_driver", "upstreams_required",
                "upstreams_not_allowed", "too_many_upstreams", "invalid_upstream", "identity_required",
                "tenant_suspended", "node_quota_exceeded", "not_found", "node_not_restartable", "node_not_running",
                "too_many_websockets", "quota_exceeded", "no_capacity", "tenant_service_unavailable");
    }

    @Test
    void anErrorBecomesAProblemWithItsCodeTitleAndStatus() {
        ProblemDetail problem = BlockchainErrors.NODE_QUOTA_EXCEEDED.exception("Your plan allows 1 node(s).")
                .with("limit", 1).toProblemDetail();
        assertThat(problem.getStatus()).isEqualTo(403);
        assertThat(problem.getTitle()).isEqualTo("Node quota exceeded");
        assertThat(problem.getDetail()).isEqualTo("Your plan allows 1 node(s).");
        assertThat(problem.getProperties()).containsEntry("code", "node_quota_exceeded").containsEntry("limit", 1);
    }
}
