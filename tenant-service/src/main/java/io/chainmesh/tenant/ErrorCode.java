package io.chainmesh.tenant;

import org.springframework.http.HttpStatus;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.common.problem.ErrorCatalogue;
import io.chainmesh.common.problem.ProblemType;

/**
 * The stable error codes of tenant-service: every problem it answers with carries one of these as {@code code} (and
 * {@code type} {@code https://chainmesh.dev/problems/<code, with - for _>}), so clients and tests may rely on them. The codes every
 * service shares (validation_failed, malformed_body, identity_required, insufficient_scope, ...) come from
 * platform-common.
 */
public enum ErrorCode implements ErrorCatalogue {

    NOT_FOUND(HttpStatus.NOT_FOUND, "not_found", "Not found"),
    UNKNOWN_PLAN(HttpStatus.BAD_REQUEST, "unknown_plan", "Bad request"),
    EMAIL_TAKEN(HttpStatus.CONFLICT, "email_taken", "Conflict"),
    INVALID_CREDENTIALS(HttpStatus.UNAUTHORIZED, "invalid_credentials", "Unauthorized"),
    TENANT_SUSPENDED(HttpStatus.FORBIDDEN, "tenant_suspended", "Forbidden"),
    /** The operators' own tenant cannot be suspended. */
    PLATFORM_TENANT_PROTECTED(HttpStatus.CONFLICT, "platform_tenant_protected", "Conflict"),
    /** A key may not get a scope its creator does not hold. */
    SCOPE_NOT_HELD(HttpStatus.FORBIDDEN, "scope_not_held", "Forbidden"),
    API_KEY_LIMIT_REACHED(HttpStatus.CONFLICT, "api_key_limit_reached", "Conflict"),
    /** The gateway's compute-unit counters (Redis) cannot be read. */
    USAGE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "usage_unavailable", "Service unavailable");

    private final ProblemType problem;

    ErrorCode(HttpStatus status, String code, String title) {
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
