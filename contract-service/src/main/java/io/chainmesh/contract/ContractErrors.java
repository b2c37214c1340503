package io.chainmesh.contract;

import org.springframework.http.HttpStatus;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.common.problem.ErrorCatalogue;
import io.chainmesh.common.problem.ProblemType;

/**
 * The stable error codes of contract-service (as FireFly keeps its {@code coremsgs}): every problem it answers with
 * carries one of these as {@code code} (and {@code type} {@code https://chainmesh.dev/problems/<code>}), with the
 * status and title it always comes with, so clients and tests may rely on them; a code is never renamed or reused for
 * another meaning. The codes every service shares (validation_failed, malformed_body, identity_required, ...) come
 * from platform-common.
 */
public enum ContractErrors implements ErrorCatalogue {

    // The request itself
    NOT_FOUND(HttpStatus.NOT_FOUND, "not_found", "Not found"),
    INVALID_PARAMETER(HttpStatus.BAD_REQUEST, "invalid_parameter", "Bad request"),
    INVALID_CURSOR(HttpStatus.BAD_REQUEST, "invalid_cursor", "Bad request"),
    INVALID_IDEMPOTENCY_KEY(HttpStatus.BAD_REQUEST, "invalid_idempotency_key", "Bad request"),
    IDEMPOTENCY_KEY_REUSED(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency_key_reused", "Idempotency key reused"),

    // Wallets
    INVALID_PRIVATE_KEY(HttpStatus.BAD_REQUEST, "invalid_private_key", "Bad request"),
    WALLET_EXISTS(HttpStatus.CONFLICT, "wallet_exists", "Conflict"),

    // Contract definitions
    AMBIGUOUS_CONTRACT(HttpStatus.BAD_REQUEST, "ambiguous_contract", "Bad request"),
    INVALID_CONTRACT(HttpStatus.BAD_REQUEST, "invalid_contract", "Bad request"),
    INVALID_ABI(HttpStatus.BAD_REQUEST, "invalid_abi", "Bad request"),
    UNLINKED_BYTECODE(HttpStatus.BAD_REQUEST, "unlinked_bytecode", "Bad request"),
    CONTRACT_NOT_DEPLOYABLE(HttpStatus.BAD_REQUEST, "contract_not_deployable", "Bad request"),

    // Functions, events and their arguments
    UNKNOWN_FUNCTION(HttpStatus.BAD_REQUEST, "unknown_function", "Bad request"),
    AMBIGUOUS_FUNCTION(HttpStatus.BAD_REQUEST, "ambiguous_function", "Bad request"),
    UNKNOWN_EVENT(HttpStatus.BAD_REQUEST, "unknown_event", "Bad request"),
    AMBIGUOUS_EVENT(HttpStatus.BAD_REQUEST, "ambiguous_event", "Bad request"),
    ANONYMOUS_EVENT(HttpStatus.BAD_REQUEST, "anonymous_event", "Bad request"),
    INVALID_ARGUMENT(HttpStatus.BAD_REQUEST, "invalid_argument", "Bad request"),
    INVALID_FILTER(HttpStatus.BAD_REQUEST, "invalid_filter", "Bad request"),
    INVALID_FROM_BLOCK(HttpStatus.BAD_REQUEST, "invalid_from_block", "Bad request"),
    INVALID_BLOCK(HttpStatus.BAD_REQUEST, "invalid_block", "Bad request"),
    NOT_PAYABLE(HttpStatus.BAD_REQUEST, "not_payable", "Bad request"),

    // Instances
    NO_CONTRACT_AT_ADDRESS(HttpStatus.BAD_REQUEST, "no_contract_at_address", "Bad request"),
    INSTANCE_NOT_DEPLOYED(HttpStatus.CONFLICT, "instance_not_deployed", "Conflict"),

    // Transactions and calls
    GAS_LIMIT_TOO_LOW(HttpStatus.BAD_REQUEST, "gas_limit_too_low", "Bad request"),
    ESTIMATION_FAILED(HttpStatus.UNPROCESSABLE_CONTENT, "estimation_failed", "Gas estimation failed"),
    EXECUTION_REVERTED(HttpStatus.UNPROCESSABLE_CONTENT, "execution_reverted", "Execution reverted"),
    CALL_FAILED(HttpStatus.BAD_GATEWAY, "call_failed", "Call failed"),
    UNDECODABLE_RESULT(HttpStatus.BAD_GATEWAY, "undecodable_result", "Undecodable result"),

    // Nodes and chains
    NODE_NOT_RUNNING(HttpStatus.CONFLICT, "node_not_running", "Node not available"),
    PROTOCOL_NOT_SUPPORTED(HttpStatus.CONFLICT, "protocol_not_supported", "Protocol not supported"),
    CHAIN_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "chain_unavailable", "Chain unavailable"),
    CHAIN_ERROR(HttpStatus.BAD_GATEWAY, "chain_error", "Chain error"),
    CHAIN_REQUEST_REJECTED(HttpStatus.BAD_GATEWAY, "chain_request_rejected", "Chain request rejected");

    private final ProblemType problem;

    ContractErrors(HttpStatus status, String code, String title) {
        this.problem = new ProblemType(status, code, title, null);
    }

    @Override
    public ProblemType problem() {
        return problem;
    }

    /** 404 {@code not_found}: {@code what} with {@code id} does not exist, or belongs to another tenant. */
    public static ApiException notFound(String what, Object id) {
        return NOT_FOUND.exception(what + " " + id + " was not found");
    }
}
