package io.chainmesh.blockchain.rpc;

import java.util.UUID;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.chainmesh.common.identity.Caller;
import io.chainmesh.common.identity.Identity;

/**
 * JSON-RPC over HTTP. The public {@code POST /rpc/{apiKey}/{nodeId}} is rewritten by the gateway to
 * {@code /v1/nodes/{nodeId}/rpc} after it authenticated the key, so an API key never reaches this service, its logs
 * or its traces. Metering happens at the gateway (route {@code rpc}); nothing here is billed. WebSocket on the same
 * path is served by {@link RpcWebSocketHandler} and metered in this service ({@link WebSocketUsage}): the gateway
 * never sees its frames.
 */
@RestController
class RpcController {

    private final RpcProxy proxy;
    private final RpcWebSocketHandshake webSockets;

    RpcController(RpcProxy proxy, RpcWebSocketHandshake webSockets) {
        this.proxy = proxy;
        this.webSockets = webSockets;
    }

    /**
     * 204 when a JSON-RPC WebSocket on this node would be admitted now, else the problem its upgrade would get (401,
     * 403, 404, 409, 429). The gateway asks before it accepts a client's upgrade, so a refusal reaches the client as
     * an HTTP status on the handshake rather than as a bare close frame.
     */
    @GetMapping("/v1/nodes/{id}/rpc/admission")
    ResponseEntity<Void> webSocketAdmission(Identity identity, @PathVariable UUID id) {
        webSockets.admit(identity, id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/v1/nodes/{id}/rpc")
    ResponseEntity<byte[]> rpc(Identity identity, @PathVariable UUID id, @RequestBody byte[] body) {
        UUID tenantId = Caller.tenantOf(identity);
        Caller.requireScope(identity, "rpc");
        return proxy.handle(new RpcProxy.RpcCaller(tenantId, identity.plan(), false), id, body);
    }

    /**
     * For other platform services acting for a tenant (contract-service): the identity's tenant must own the node;
     * only admin_/personal_/debug_ stay denied; not metered (the caller's own request was).
     */
    @PostMapping("/internal/nodes/{id}/rpc")
    ResponseEntity<byte[]> internalRpc(Identity identity, @PathVariable UUID id, @RequestBody byte[] body) {
        Caller.requireScope(identity, "internal");
        UUID tenantId = Caller.tenantOf(identity);
        return proxy.handle(new RpcProxy.RpcCaller(tenantId, identity.plan(), true), id, body);
    }
}
