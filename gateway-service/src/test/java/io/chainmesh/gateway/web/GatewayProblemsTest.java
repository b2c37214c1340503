package io.chainmesh.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.ConnectException;
import java.util.Arrays;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ResponseStatusException;

import io.chainmesh.common.problem.ApiException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

class GatewayProblemsTest {

    @Test
    void theCatalogueIsExactlyTheStableCodesClientsBranchOn() {
        Object[] codes = Arrays.stream(GatewayProblems.class.getFields())
                .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
                .map(GatewayProblemsTest::valueOf)
                .toArray();

        assertThat(codes).containsExactlyInAnyOrder("authentication_required", "invalid_api_key", "invalid_token",
                "tenant_suspended", "insufficient_scope", "rate_limited", "quota_exceeded", "payload_too_large",
                "upstream_unavailable", "upstream_timeout", "not_found", "method_not_allowed",
                "unsupported_media_type", "bad_request", "client_error", "internal_error");
    }

    @Test
    void failuresOfTheServicesBehindTheRoutesBecome503Or504() {
        assertProblem(new ConnectException("refused"), 503, GatewayProblems.UPSTREAM_UNAVAILABLE);
        assertProblem(CallNotPermittedException.createCallNotPermittedException(CircuitBreaker.ofDefaults("rpc")),
                503, GatewayProblems.UPSTREAM_UNAVAILABLE);
        assertProblem(new IllegalStateException(new TimeoutException()), 504, GatewayProblems.UPSTREAM_TIMEOUT);
    }

    @Test
    void theFrameworksStatusesGetTheirCodes() {
        assertProblem(new ResponseStatusException(HttpStatus.NOT_FOUND), 404, GatewayProblems.NOT_FOUND);
        assertProblem(new ResponseStatusException(HttpStatus.METHOD_NOT_ALLOWED), 405,
                GatewayProblems.METHOD_NOT_ALLOWED);
        assertProblem(new ResponseStatusException(HttpStatus.UNSUPPORTED_MEDIA_TYPE), 415,
                GatewayProblems.UNSUPPORTED_MEDIA_TYPE);
        assertProblem(new ResponseStatusException(HttpStatus.BAD_REQUEST), 400, GatewayProblems.BAD_REQUEST);
        assertProblem(new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE), 413,
                GatewayProblems.PAYLOAD_TOO_LARGE);
        assertProblem(new ResponseStatusException(HttpStatus.GONE), 410, GatewayProblems.CLIENT_ERROR);
        assertProblem(new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE), 503,
                GatewayProblems.UPSTREAM_UNAVAILABLE);
        assertProblem(new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT), 504, GatewayProblems.UPSTREAM_TIMEOUT);
        assertProblem(new ResponseStatusException(HttpStatus.NOT_IMPLEMENTED), 500, GatewayProblems.INTERNAL_ERROR);
    }

    @Test
    void anApiExceptionKeepsItsOwnProblemAndAnythingElseIsABug() {
        assertProblem(ApiException.forbidden(GatewayProblems.INSUFFICIENT_SCOPE, "no"), 403,
                GatewayProblems.INSUFFICIENT_SCOPE);
        assertThat(GatewayProblems.expected(new NullPointerException())).isNull();
        assertThat(GatewayProblems.statusOf(new NullPointerException())).isEqualTo(500);
        assertThat(GatewayProblems.internalError().getProperties()).containsEntry("code",
                GatewayProblems.INTERNAL_ERROR);
    }

    private static void assertProblem(Throwable error, int status, String code) {
        ProblemDetail problem = GatewayProblems.expected(error);
        assertThat(problem).isNotNull();
        assertThat(problem.getStatus()).isEqualTo(status);
        assertThat(problem.getProperties()).containsEntry("code", code);
        assertThat(problem.getType()).hasToString("https://chainmesh.dev/problems/" + code.replace('_', '-'));
        assertThat(GatewayProblems.statusOf(error)).isEqualTo(status);
    }

    private static Object valueOf(Field field) {
        try {
            return field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
