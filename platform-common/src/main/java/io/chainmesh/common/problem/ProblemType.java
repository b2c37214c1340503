package io.chainmesh.common.problem;

import org.springframework.http.HttpStatus;

/**
 * One entry of a service's error catalogue: the HTTP status, the stable {@code code} clients and tests match on (the
 * problem's {@code type} is {@code https://chainmesh.dev/problems/<code, with - for _>}), the {@code title}, and when it happens.
 *
 * @param description when the error happens, for the API's documentation; may be {@code null}
 */
public record ProblemType(HttpStatus status, String code, String title, String description) {

    public ProblemType {
        if (code == null || !code.matches("[a-z0-9]+(_[a-z0-9]+)*")) {
            throw new IllegalArgumentException("an error code is snake_case: " + code);
        }
    }
}
