package io.chainmesh.gateway.auth;

import org.springframework.http.HttpMethod;

/**
 * Which scope a request needs, decided at the edge from method and path so a key without it never costs an upstream
 * call. Path rules win over method rules: managing keys needs {@code keys}, JSON-RPC needs {@code rpc}, operator
 * endpoints need {@code admin}; otherwise reading ({@code GET}/{@code HEAD}) needs {@code read} and anything else
 * {@code write}. Services still check their own finer rules.
 */
final class ScopePolicy {

    static final String READ = "read";
    static final String WRITE = "write";
    static final String RPC = "rpc";
    static final String KEYS = "keys";
    static final String ADMIN = "admin";

    private ScopePolicy() {
    }

    static String requiredScope(HttpMethod method, String path) {
        if (startsWithSegment(path, "/v1/admin")) {
            return ADMIN;
        }
        if (startsWithSegment(path, "/v1/api-keys")) {
            return KEYS;
        }
        if (startsWithSegment(path, "/rpc") || isNodeRpc(path)) {
            return RPC;
        }
        return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method) ? READ : WRITE;
    }

    private static boolean startsWithSegment(String path, String prefix) {
        return path.startsWith(prefix) && (path.length() == prefix.length() || path.charAt(prefix.length()) == '/');
    }

    /** {@code /v1/nodes/{id}/rpc}, with or without a trailing slash. */
    private static boolean isNodeRpc(String path) {
        if (!path.startsWith("/v1/nodes/")) {
            return false;
        }
        String rest = path.endsWith("/") ? path.substring(10, path.length() - 1) : path.substring(10);
        int slash = rest.indexOf('/');
        return slash > 0 && rest.substring(slash).equals("/rpc");
    }
}
