package io.chainmesh.gateway.auth;

import org.springframework.http.HttpMethod;

/**
 * The few endpoints callers reach without credentials (they get an anonymous identity): signing up, logging in and
 * reading the plan catalogue. Everything else needs an API key or a JWT.
 */
final class PublicEndpoints {

    private PublicEndpoints() {
    }

    static boolean isPublic(HttpMethod method, String path) {
        if (HttpMethod.POST.equals(method)) {
            return path.equals("/v1/signup") || path.equals("/v1/auth/token");
        }
        if (HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)) {
            return path.equals("/v1/plans");
        }
        return false;
    }
}
