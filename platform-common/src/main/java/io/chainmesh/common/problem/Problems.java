package io.chainmesh.common.problem;

import java.net.URI;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/** Builds RFC 9457 problem details that always carry a stable {@code code}. */
public final class Problems {

    /** Base of every problem {@code type}; the code is appended. Documented in the README. */
    public static final String TYPE_BASE = "https://chainmesh.dev/problems/";

    private Problems() {
    }

    public static URI typeOf(String code) {
        return URI.create(TYPE_BASE + code.replace('_', '-'));
    }

    public static ProblemDetail of(HttpStatusCode status, String code, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(typeOf(code));
        problem.setTitle(title);
        problem.setProperty("code", code);
        return problem;
    }
}
