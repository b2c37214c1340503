package io.chainmesh.common.http;

import org.springframework.http.HttpStatus;

import io.chainmesh.common.problem.ApiException;

/**
 * Another service could not be reached, timed out, answered 5xx, or its circuit breaker is open: a 503 with the code
 * {@code <service>_unavailable} (for example {@code tenant_service_unavailable}) and a hint to retry.
 */
public class ServiceUnavailableException extends ApiException {

    public ServiceUnavailableException(String service, String detail) {
        super(HttpStatus.SERVICE_UNAVAILABLE, service.replace('-', '_') + "_unavailable", "Service unavailable", detail);
    }
}
