package io.chainmesh.blockchain.rpc;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.support.WebSocketHandlerMapping;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import io.chainmesh.blockchain.BlockchainProperties;

/**
 * Serves WebSocket upgrades on the JSON-RPC path {@code /v1/nodes/{id}/rpc}, next to {@code POST} on the same path.
 * The mapping matches upgrade requests only and comes before the controllers, so a plain {@code GET} still gets the
 * usual 405 problem. No origin check: the socket is authorised by the API key the gateway verified, not by cookies,
 * so a page on any origin may open it (browsers cannot send headers on a WebSocket: they use the key-in-URL form).
 */
@Configuration(proxyBeanMethods = false)
class RpcWebSocketConfiguration {

    @Bean
    WebSocketHandlerMapping rpcWebSocketMapping(RpcWebSocketHandler handler, RpcWebSocketHandshake handshake) {
        WebSocketHttpRequestHandler upgrade = new WebSocketHttpRequestHandler(handler, new DefaultHandshakeHandler());
        upgrade.getHandshakeInterceptors().add(handshake);
        WebSocketHandlerMapping mapping = new WebSocketHandlerMapping();
        mapping.setUrlMap(Map.of("/v1/nodes/*/rpc", upgrade));
        mapping.setWebSocketUpgradeMatch(true);
        mapping.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return mapping;
    }

    /** Tomcat's limits for every socket: a client message larger than max-frame-bytes closes it with 1009. */
    @Bean
    ServletServerContainerFactoryBean webSocketContainer(BlockchainProperties properties) {
        int maxFrame = (int) properties.rpc().webSocket().maxFrameBytes().toBytes();
        ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(maxFrame);
        container.setMaxBinaryMessageBufferSize(maxFrame);
        return container;
    }
}
