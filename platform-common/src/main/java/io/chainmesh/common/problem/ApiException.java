package io.chainmesh.common.problem;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A failure the caller can act on. Rendered as RFC 9457 problem+json with a stable {@code code}
 * (asserted on by tests and clients) and a {@code type} URI derived from it.
 */
public class ApiException extends RuntimeException {

    private final HttpStatus status;
    private final String code;
    private final String title;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    public ApiException(HttpStatus status, String code, String title, String detail) {
        super(detail);
        this.status = status;
        this.code = code;
        this.title = title;
    }

    public static ApiException notFound(String what, Object id) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_found", "Not found", what + " " + id + " was not found");
    }

    public static ApiException badRequest(String code, String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, code, "Bad request", detail);
    }

    public static ApiException conflict(String code, String detail) {
        return new ApiException(HttpStatus.CONFLICT, code, "Conflict", detail);
    }

    public static ApiException unauthorized(String code, String detail) {
        return new ApiException(HttpStatus.UNAUTHORIZED, code, "Unauthorized", detail);
    }

    public static ApiException forbidden(String code, String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, code, "Forbidden", detail);
    }

    public ApiException with(String property, Object value) {
        properties.put(property, value);
        return this;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public ProblemDetail toProblemDetail() {
        ProblemDetail problem = Problems.of(status, code, title, getMessage());
        properties.forEach(problem::setProperty);
        return problem;
    }

    /** Stack traces of expected failures are noise; they are never bugs. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }

    static URI typeOf(String code) {
        return Problems.typeOf(code);
    }
}
