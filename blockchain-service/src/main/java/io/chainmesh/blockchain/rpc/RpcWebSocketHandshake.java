package io.chainmesh.blockchain.rpc;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;

import io.chainmesh.blockchain.BlockchainErrors;
import io.chainmesh.blockchain.tenant.TenantQuotas;
import io.chainmesh.blockchain.rpc.NodeRoutes.NodeRoute;
import io.chainmesh.common.identity.Caller;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityFilter;
import io.chainmesh.common.problem.ApiException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admits a WebSocket upgrade on {@code /v1/nodes/{id}/rpc} exactly like an HTTP JSON-RPC request: the gateway-signed
 * identity was already verified by platform-common's {@code IdentityFilter} on the upgrade request; here the caller
 * needs the {@code rpc} scope and must own the node (else 404, as over HTTP), the node must be RUNNING (409), the
 * tenant must have a socket left ({@code max-sockets-per-tenant}, 429 {@code too_many_websockets}) and compute units
 * left this month (429 {@code quota_exceeded}). A refused upgrade is answered with a problem+json, not upgraded.
 */
@Component
class RpcWebSocketHandshake implements HandshakeInterceptor {

    static final String ADMITTED = RpcWebSocketHandshake.class.getName() + ".admitted";
    private static final String PREFIX = "/v1/nodes/";

    /** Who was admitted to which node, handed to {@link RpcWebSocketHandler}. */
    record Admitted(Identity identity, RpcProxy.RpcCaller caller, NodeRoute route, Long monthlyQuota) {
    }

    private final RpcProxy proxy;
    private final TenantQuotas quotas;
    private final WebSocketUsage usage;
    private final JsonMapper json;

    RpcWebSocketHandshake(RpcProxy proxy, TenantQuotas quotas, WebSocketUsage usage, JsonMapper json) {
        this.proxy = proxy;
        this.quotas = quotas;
        this.usage = usage;
        this.json = json;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Map<String, Object> attributes) throws IOException {
        try {
            attributes.put(ADMITTED, admit(request));
            return true;
        } catch (ApiException e) {
            refuse(response, e);
            return false;
        }
    }

    private Admitted admit(ServerHttpRequest request) {
        Identity identity = request instanceof ServletServerHttpRequest servlet
                ? (Identity) servlet.getServletRequest().getAttribute(IdentityFilter.ATTRIBUTE) : null;
        if (identity == null) {
            throw BlockchainErrors.IDENTITY_REQUIRED.exception("No gateway identity on the upgrade request.");
        }
        return admit(identity, nodeIdOf(request.getURI().getPath()));
    }

    /**
     * Whether a socket of this caller on this node would be admitted now: the admission, or the problem the upgrade
     * would be refused with. Also answers the gateway's check before it upgrades the client (RpcController).
     */
    Admitted admit(Identity identity, UUID nodeId) {
        UUID tenantId = Caller.tenantOf(identity);
        Caller.requireScope(identity, "rpc");
        RpcProxy.RpcCaller caller = new RpcProxy.RpcCaller(tenantId, identity.plan(), false);
        NodeRoute route = proxy.routeFor(caller, nodeId);
        if (usage.atLimit(tenantId)) {
            throw BlockchainErrors.TOO_MANY_WEBSOCKETS.exception(
                    "Your tenant already holds the most JSON-RPC WebSockets it may open; close one first.");
        }
        Long quota;
        try {
            quota = quotas.monthlyComputeUnits(tenantId);
        } catch (ApiException e) {
            if (e.status() != HttpStatus.SERVICE_UNAVAILABLE) {
                throw e;
            }
            // Fail open like the gateway's limits: tenant-service being down must not cut customers off. The
            // gateway checked the quota on this very upgrade a moment ago.
            quota = null;
        }
        if (quota != null && usage.usedThisMonth(tenantId) >= quota) {
            throw BlockchainErrors.QUOTA_EXCEEDED.exception(
                    "Your plan's " + quota + " compute units for this month are used up.").with("limit", quota);
        }
        return new Admitted(identity, caller, route, quota);
    }

    private static UUID nodeIdOf(String path) {
        int end = path.indexOf('/', PREFIX.length());
        try {
            return UUID.fromString(path.substring(PREFIX.length(), end < 0 ? path.length() : end));
        } catch (RuntimeException e) {
            throw BlockchainErrors.INVALID_PARAMETER.exception("The node id in the path is not a UUID.")
                    .with("parameter", "id");
        }
    }

    private void refuse(ServerHttpResponse response, ApiException e) throws IOException {
        ProblemDetail problem = e.toProblemDetail();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        response.setStatusCode(e.status());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getBody().write(json.writeValueAsBytes(body));
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
            Exception exception) {
    }
}
