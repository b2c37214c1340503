package io.chainmesh.notification;

import org.springframework.http.HttpStatus;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.common.problem.ErrorCatalogue;
import io.chainmesh.common.problem.ProblemType;

/**
 * The stable error codes of notification-service: every problem it answers with carries one of these as {@code code}
 * (and {@code type} {@code https://chainmesh.dev/problems/<code, with - for _>}), so clients and tests may rely on them. The codes
 * every service shares (malformed_body, identity_required, insufficient_scope, ...) come from platform-common, and so
 * does {@code tenant_service_unavailable} (a 503 when the plan's quota cannot be read).
 */
public enum ErrorCode implements ErrorCatalogue {

    NOT_FOUND(HttpStatus.NOT_FOUND, "not_found", "Not found"),
    /** A query parameter has a value the API does not accept; the problem names it in {@code parameter}. */
    INVALID_PARAMETER(HttpStatus.BAD_REQUEST, "invalid_parameter", "Bad request"),
    /** A field breaks a limit of this service's configuration; the problem names it in {@code field}. */
    VALIDATION_FAILED(HttpStatus.BAD_REQUEST, "validation_failed", "Bad request"),
    INVALID_CURSOR(HttpStatus.BAD_REQUEST, "invalid_cursor", "Bad request"),
    /** The SSRF guard refused the URL; the problem carries the {@code reason}. */
    WEBHOOK_URL_REFUSED(HttpStatus.BAD_REQUEST, "webhook_url_refused", "Bad request"),
    INVALID_EVENT_TYPE(HttpStatus.BAD_REQUEST, "invalid_event_type", "Bad request"),
    /** The plan's endpoint quota is used up; the problem carries the {@code limit}. */
    WEBHOOK_LIMIT_REACHED(HttpStatus.CONFLICT, "webhook_limit_reached", "Webhook limit reached"),
    /** Replays and test messages need an enabled endpoint. */
    ENDPOINT_DISABLED(HttpStatus.CONFLICT, "endpoint_disabled", "Conflict");

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
