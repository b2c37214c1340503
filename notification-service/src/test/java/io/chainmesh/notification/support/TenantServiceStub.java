package io.chainmesh.notification.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for tenant-service's {@code GET /internal/tenants/{id}/context} at the network
 * boundary, answering the free plan's limits (maxWebhooks 2). The real service answers it in the E2E tests.
 */
public final class TenantServiceStub {

    public static final int MAX_WEBHOOKS = 2;
    private static TenantServiceStub instance;

    private final HttpServer server;

    private TenantServiceStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/internal/tenants/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            boolean authorized = exchange.getRequestHeaders().getFirst("X-Chainmesh-Identity") != null;
            String tenantId = path.replaceAll("^/internal/tenants/([^/]+)/context$", "$1");
            byte[] body = ("{\"tenantId\":\"" + tenantId + "\",\"status\":\"active\",\"plan\":\"free\",\"limits\":"
                    + "{\"requestsPerSecond\":10,\"burst\":20,\"monthlyComputeUnits\":1000000,\"maxNodes\":1,"
                    + "\"maxWebhooks\":" + MAX_WEBHOOKS + "}}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(authorized ? 200 : 401, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
    }

    public static synchronized String url() {
        if (instance == null) {
            try {
                instance = new TenantServiceStub();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return "http://127.0.0.1:" + instance.server.getAddress().getPort();
    }
}
