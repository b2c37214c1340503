package io.chainmesh.common.problem;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Raised while reading a body that grows past the configured limit (chunked bodies have no Content-Length). */
public class PayloadTooLargeException extends IOException {

    private final long limit;

    public PayloadTooLargeException(long limit) {
        super("Request body exceeds " + limit + " bytes");
        this.limit = limit;
    }

    public ProblemDetail toProblemDetail() {
        ProblemDetail problem = Problems.of(HttpStatus.CONTENT_TOO_LARGE, "payload_too_large", "Payload too large",
                "Request body exceeds the limit of " + limit + " bytes");
        problem.setProperty("limit", limit);
        return problem;
    }
}
