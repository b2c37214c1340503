package io.chainmesh.gateway.web;

import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.server.ResponseStatusException;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.common.problem.Problems;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * The gateway's catalogue of error codes, and the one place that turns any failure on the request path into an
 * RFC 9457 problem. Both the error handler and usage metering use it, so a metered status is the status sent. Each
 * code is stable (clients branch on it; its {@code type} is {@code https://chainmesh.dev/problems/<code>} with
 * {@code -} for {@code _}); {@code GatewayProblemsTest} pins the whole set. Codes the services behind the routes
 * answer with pass through unchanged and are theirs.
 */
public final class GatewayProblems {

    public static final String AUTHENTICATION_REQUIRED = "authentication_required";
    public static final String INVALID_API_KEY = "invalid_api_key";
    public static final String INVALID_TOKEN = "invalid_token";
    public static final String TENANT_SUSPENDED = "tenant_suspended";
    public static final String INSUFFICIENT_SCOPE = "insufficient_scope";
    public static final String RATE_LIMITED = "rate_limited";
    public static final String QUOTA_EXCEEDED = "quota_exceeded";
    public static final String PAYLOAD_TOO_LARGE = "payload_too_large";
    public static final String UPSTREAM_UNAVAILABLE = "upstream_unavailable";
    public static final String UPSTREAM_TIMEOUT = "upstream_timeout";
    public static final String NOT_FOUND = "not_found";
    public static final String METHOD_NOT_ALLOWED = "method_not_allowed";
    public static final String UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type";
    public static final String BAD_REQUEST = "bad_request";
    /** Any other 4xx the framework raised before a route was reached. */
    public static final String CLIENT_ERROR = "client_error";
    public static final String INTERNAL_ERROR = "internal_error";

    private GatewayProblems() {
    }

    public static ApiException upstreamUnavailable(String detail) {
        return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, UPSTREAM_UNAVAILABLE, "Upstream unavailable", detail);
    }

    /** The problem for {@code error}; {@code null} when it is unexpected (a bug, rendered as 500 and logged). */
    public static ProblemDetail expected(Throwable error) {
        if (error instanceof ApiException api) {
            return api.toProblemDetail();
        }
        if (isUpstreamDown(error)) {
            return upstreamUnavailable("The service behind this route is not reachable right now; retry later.")
                    .toProblemDetail();
        }
        if (isTimeout(error)) {
            return Problems.of(HttpStatus.GATEWAY_TIMEOUT, UPSTREAM_TIMEOUT, "Upstream timeout",
                    "The service behind this route did not answer in time.");
        }
        if (error instanceof ResponseStatusException rse) {
            return ofStatus(rse.getStatusCode());
        }
        return null;
    }

    public static ProblemDetail internalError() {
        return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, INTERNAL_ERROR, "Internal error",
                "The gateway failed unexpectedly; the incident was logged.");
    }

    /** Status of the problem {@code error} becomes. */
    public static int statusOf(Throwable error) {
        ProblemDetail problem = expected(error);
        return problem == null ? 500 : problem.getStatus();
    }

    private static ProblemDetail ofStatus(HttpStatusCode status) {
        return switch (status.value()) {
            case 404 -> Problems.of(status, NOT_FOUND, "Not found", "No route matches this path.");
            case 405 -> Problems.of(status, METHOD_NOT_ALLOWED, "Method not allowed",
                    "This method is not allowed on this path.");
            case 413 -> Problems.of(status, PAYLOAD_TOO_LARGE, "Payload too large", "The request body is too large.");
            case 415 -> Problems.of(status, UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
                    "The request content type is not supported.");
            case 400 -> Problems.of(status, BAD_REQUEST, "Bad request", "The request is malformed.");
            case 503 -> upstreamUnavailable("The service behind this route is not reachable right now; retry later.")
                    .toProblemDetail();
            case 504 -> Problems.of(status, UPSTREAM_TIMEOUT, "Upstream timeout",
                    "The service behind this route did not answer in time.");
            default -> status.is4xxClientError()
                    ? Problems.of(status, CLIENT_ERROR, "Client error", "The request cannot be served.")
                    : internalError();
        };
    }

    private static boolean isUpstreamDown(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof CallNotPermittedException
                    || t instanceof PrematureCloseException || t instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isTimeout(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TimeoutException || t instanceof io.netty.handler.timeout.TimeoutException) {
                return true;
            }
        }
        return false;
    }
}
