package io.chainmesh.contract.node;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.contract.ErrorCode;

/** The node could not be reached (blockchain-service down, circuit open, timeout): a 503 the caller may retry. */
public class ChainUnavailableException extends ApiException {

    public ChainUnavailableException(String detail) {
        super(ErrorCode.CHAIN_UNAVAILABLE.status(), ErrorCode.CHAIN_UNAVAILABLE.code(), ErrorCode.CHAIN_UNAVAILABLE.title(),
                detail);
    }
}
