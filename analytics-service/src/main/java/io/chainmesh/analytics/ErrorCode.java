package io.chainmesh.analytics;

import org.springframework.http.HttpStatus;

import io.chainmesh.common.problem.ErrorCatalogue;
import io.chainmesh.common.problem.ProblemType;

/**
 * The stable error codes of analytics-service: every problem it answers with carries one of these as {@code code} (and
 * {@code type} {@code https://chainmesh.dev/problems/<code, with - for _>}), so clients and tests may rely on them. The codes every
 * service shares (validation_failed, identity_required, authentication_required, ...) come from platform-common.
 */
public enum ErrorCode implements ErrorCatalogue {

    /** A query parameter has a value the API does not accept; the problem names it in {@code parameter}. */
    INVALID_PARAMETER(HttpStatus.BAD_REQUEST, "invalid_parameter", "Bad request"),
    /** {@code from} is not before {@code to}. */
    INVALID_RANGE(HttpStatus.BAD_REQUEST, "invalid_range", "Bad request"),
    /** The range holds more buckets of the interval than one query may return. */
    RANGE_TOO_LARGE(HttpStatus.BAD_REQUEST, "range_too_large", "Bad request");

    private final ProblemType problem;

    ErrorCode(HttpStatus status, String code, String title) {
        this.problem = new ProblemType(status, code, title, null);
    }

    @Override
    public ProblemType problem() {
        return problem;
    }

}
