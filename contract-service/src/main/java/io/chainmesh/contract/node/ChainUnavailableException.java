package io.chainmesh.contract.node;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.contract.ContractErrors;

/** The node could not be reached (blockchain-service down, circuit open, timeout): a 503 the caller may retry. */
public class ChainUnavailableException extends ApiException {

    public ChainUnavailableException(String detail) {
        super(ContractErrors.CHAIN_UNAVAILABLE.status(), ContractErrors.CHAIN_UNAVAILABLE.code(), ContractErrors.CHAIN_UNAVAILABLE.title(),
                detail);
    }
}
