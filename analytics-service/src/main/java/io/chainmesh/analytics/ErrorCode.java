package io.chainmesh.analytics;

import org.springframework.http.HttpStatus;

import io.chainmesh.common.problem.ApiException;

/**
 * The stable error codes of analytics-service: every problem it answers with carries one of these as {@code code} (and
 * {@code type} {@code https://chainmesh.dev/problems/<code>}), so clients and tests may rely on them. The codes every
 * service shares (validation_failed, identity_required, authentication_required, ...) come from platform-common.
 */
public enum ErrorCode {

    /** A query parameter has a value the API does not accept; the problem names it in {@code parameter}. */
    INVALID_PARAMETER(HttpStatus.BAD_REQUEST, "invalid_parameter", "Bad request"),
    /** {@code from} is not before {@code to}. */
    INVALID_RANGE(HttpStatus.BAD_REQUEST, "invalid_range", "Bad request"),
    /** The range holds more buckets of the interval than one query may return. */
    RANGE_TOO_LARGE(HttpStatus.BAD_REQUEST, "range_too_large", "Bad request");

    private final HttpStatus status;
    private final String code;
    private final String title;

    ErrorCode(HttpStatus status, String code, String title) {
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    /** The failure to throw, with {@code detail} telling the caller what went wrong. */
    public ApiException exception(String detail) {
        return new ApiException(status, code, title, detail);
    }
}
