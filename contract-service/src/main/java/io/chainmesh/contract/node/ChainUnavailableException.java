package io.chainmesh.contract.node;

import org.springframework.http.HttpStatus;

import io.chainmesh.common.problem.ApiException;

/** The node could not be reached (blockchain-service down, circuit open, timeout): a 503 the caller may retry. */
public class ChainUnavailableException extends ApiException {

    public ChainUnavailableException(String detail) {
        super(HttpStatus.SERVICE_UNAVAILABLE, "chain_unavailable", "Chain unavailable", detail);
    }
}
