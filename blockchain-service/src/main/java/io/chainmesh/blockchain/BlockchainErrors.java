package io.chainmesh.blockchain;

import org.springframework.http.HttpStatus;

import io.chainmesh.common.problem.ApiException;

/**
 * Every error code blockchain-service answers with, in one catalogue (after Hyperledger FireFly's
 * {@code coremsgs}): the code is stable, clients and tests match on it; the title is the problem's {@code title};
 * the description documents when it happens. Each {@link ApiException} this service throws is built here, by
 * {@link #exception(String)}, with a detail that says what to do about it.
 *
 * <p>JSON-RPC calls answer their errors as JSON-RPC error objects (codes of JSON-RPC 2.0 and EIP-1474), not with
 * these: only what is wrong with the node or the request as a whole is a problem detail.
 */
public enum BlockchainErrors {

    INVALID_PARAMETER(HttpStatus.BAD_REQUEST, "invalid_parameter", "Bad request",
            "A query or path parameter is malformed or out of range; the field or parameter property names it."),
    INVALID_CURSOR(HttpStatus.BAD_REQUEST, "invalid_cursor", "Bad request",
            "The pagination cursor is not one this API returned."),
    UNKNOWN_NETWORK(HttpStatus.BAD_REQUEST, "unknown_network", "Bad request",
            "The network of a new node is not one of GET /v1/networks."),
    UNSUPPORTED_DRIVER(HttpStatus.BAD_REQUEST, "unsupported_driver", "Bad request",
            "The network cannot run nodes with the driver asked for."),
    UPSTREAMS_REQUIRED(HttpStatus.BAD_REQUEST, "upstreams_required", "Bad request",
            "A node of existing endpoints (driver external) was asked for without any upstream URL."),
    UPSTREAMS_NOT_ALLOWED(HttpStatus.BAD_REQUEST, "upstreams_not_allowed", "Bad request",
            "Upstream URLs were given for a node the platform runs itself."),
    TOO_MANY_UPSTREAMS(HttpStatus.BAD_REQUEST, "too_many_upstreams", "Bad request",
            "More upstream URLs than one node may have (chainmesh.blockchain.nodes.external.max-upstreams)."),
    INVALID_UPSTREAM(HttpStatus.BAD_REQUEST, "invalid_upstream", "Bad request",
            "An upstream URL is not an http(s) URL with a host, carries credentials, or points at a private address."),
    IDENTITY_REQUIRED(HttpStatus.UNAUTHORIZED, "identity_required", "Unauthorized",
            "A WebSocket upgrade arrived without the gateway's identity token."),
    TENANT_SUSPENDED(HttpStatus.FORBIDDEN, "tenant_suspended", "Forbidden",
            "The tenant is suspended: it may not create nodes or open JSON-RPC WebSockets."),
    NODE_QUOTA_EXCEEDED(HttpStatus.FORBIDDEN, "node_quota_exceeded", "Node quota exceeded",
            "The tenant already has as many nodes as its plan allows; limit and current say how many."),
    NODE_NOT_FOUND(HttpStatus.NOT_FOUND, "not_found", "Not found",
            "No node with this id belongs to the caller's tenant (another tenant's node is not found either)."),
    NODE_NOT_RESTARTABLE(HttpStatus.CONFLICT, "node_not_restartable", "Conflict",
            "A restart was asked for a node that is being provisioned or deleted; status says which."),
    NODE_NOT_RUNNING(HttpStatus.CONFLICT, "node_not_running", "Node not running",
            "JSON-RPC was sent to a node that is not RUNNING; status says what it is."),
    TOO_MANY_WEBSOCKETS(HttpStatus.TOO_MANY_REQUESTS, "too_many_websockets", "Too many WebSockets",
            "The tenant holds as many JSON-RPC WebSockets on this instance as it may (max-sockets-per-tenant)."),
    QUOTA_EXCEEDED(HttpStatus.TOO_MANY_REQUESTS, "quota_exceeded", "Monthly quota exceeded",
            "The plan's compute units for this month are used up; limit says how many it has."),
    NO_CAPACITY(HttpStatus.SERVICE_UNAVAILABLE, "no_capacity", "No capacity",
            "The platform has no room for another node of this kind right now (e.g. no free local port)."),
    TENANT_SERVICE_UNAVAILABLE(HttpStatus.SERVICE_UNAVAILABLE, "tenant_service_unavailable",
            "Plan limits unavailable",
            "tenant-service, which knows the plan's limits, did not answer; nothing was granted. Retry shortly.");

    private final HttpStatus status;
    private final String code;
    private final String title;
    private final String description;

    BlockchainErrors(HttpStatus status, String code, String title, String description) {
        this.status = status;
        this.code = code;
        this.title = title;
        this.description = description;
    }

    /** The error as an exception, with a detail for this occurrence; add properties with {@code with}. */
    public ApiException exception(String detail) {
        return new ApiException(status, code, title, detail);
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    /** When the error happens, for the API's documentation. */
    public String description() {
        return description;
    }
}
