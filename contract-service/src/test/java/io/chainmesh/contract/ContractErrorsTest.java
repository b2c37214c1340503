package io.chainmesh.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import io.chainmesh.common.problem.ApiException;

class ContractErrorsTest {

    /** Clients branch on these codes: removing or renaming one is a breaking change, not a refactoring. */
    @Test
    void theCatalogueIsExactlyTheStableCodesEachNamedOnce() {
        assertThat(Arrays.stream(ContractErrors.values()).map(ContractErrors::code)).doesNotHaveDuplicates()
                .allMatch(code -> code.matches("[a-z]+(_[a-z]+)*"), "snake_case")
                .containsExactlyInAnyOrder("not_found", "invalid_parameter", "invalid_cursor", "invalid_idempotency_key",
                        "idempotency_key_reused", "invalid_private_key", "wallet_exists", "ambiguous_contract",
                        "invalid_contract", "invalid_abi", "unlinked_bytecode", "contract_not_deployable",
                        "unknown_function", "ambiguous_function", "unknown_event", "ambiguous_event", "anonymous_event",
                        "invalid_argument", "invalid_filter", "invalid_from_block", "invalid_block", "not_payable",
                        "no_contract_at_address", "instance_not_deployed", "gas_limit_too_low", "estimation_failed",
                        "execution_reverted", "call_failed", "undecodable_result", "node_not_running",
                        "protocol_not_supported", "chain_unavailable", "chain_error", "chain_request_rejected");
    }

    @Test
    void anErrorCarriesItsCodeStatusAndTitle() {
        ApiException problem = ContractErrors.GAS_LIMIT_TOO_LOW.exception("gasLimit 1 is below 21000");
        assertThat(problem.code()).isEqualTo("gas_limit_too_low");
        assertThat(problem.status().value()).isEqualTo(400);
        assertThat(problem.toProblemDetail().getTitle()).isEqualTo("Bad request");
        assertThat(problem.getMessage()).isEqualTo("gasLimit 1 is below 21000");
        var notFound = ContractErrors.notFound("Wallet", "w1").toProblemDetail();
        assertThat(notFound.getStatus()).isEqualTo(404);
        assertThat(notFound.getProperties()).containsEntry("code", "not_found");
        assertThat(notFound.getDetail()).isEqualTo("Wallet w1 was not found");
    }
}
