package io.chainmesh.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.chainmesh.common.http.InternalClientSettings;
import io.chainmesh.common.http.ReactiveInternalClient;
import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.common.problem.ApiException;
import io.chainmesh.common.tenant.TenantContextView;
import io.chainmesh.gateway.web.GatewayProblems;

/** The gateway's calls to tenant-service against a real HTTP server, and against none at all. */
class TenantServiceClientTest {

    private static final IdentityTokenCodec CODEC = new IdentityTokenCodec(
            "test-identity-secret-0123456789abcdef-0123", Duration.ofSeconds(60), Clock.systemUTC());
    /** Opens after 4 calls of which half failed. */
    private static final InternalClientSettings.CircuitBreaker BREAKER = new InternalClientSettings.CircuitBreaker(50,
            4, 4, Duration.ofMinutes(1));

    private final List<Identity> identities = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void readsTheTypedContextAsTheGatewayOnBehalfOfTheTenant() {
        UUID tenantId = UUID.randomUUID();
        TenantServiceClient client = clientOf(serve(200, "{\"tenantId\":\"" + tenantId + "\",\"status\":\"active\","
                + "\"plan\":\"developer\",\"limits\":{\"requestsPerSecond\":50,\"burst\":100,"
                + "\"monthlyComputeUnits\":50000000,\"maxNodes\":3},\"addedLater\":true}"));

        TenantContextView context = client.tenantContext(tenantId).block();

        assertThat(context).isEqualTo(new TenantContextView(tenantId, "active", "developer",
                new TenantContextView.Limits(50, 100, 50_000_000L, 3, null)));
        assertThat(PlanLimits.of(context.limits())).isEqualTo(new PlanLimits(50.0, 100, 50_000_000L));
        assertThat(identities).singleElement().satisfies(identity -> {
            assertThat(identity.principal()).isEqualTo("service:gateway");
            assertThat(identity.tenantId()).isEqualTo(tenantId);
            assertThat(identity.scopes()).containsExactly(Identity.SCOPE_INTERNAL);
        });
    }

    @Test
    void anUnknownTenantIsEmpty() {
        TenantServiceClient client = clientOf(serve(404, "{\"code\":\"not_found\"}"));

        assertThat(client.tenantContext(UUID.randomUUID()).blockOptional()).isEmpty();
    }

    @Test
    void aDeadTenantServiceIsA503UpstreamUnavailableAtTheEdge() {
        TenantServiceClient client = clientOf(URI.create("http://127.0.0.1:" + freePort()));

        ApiException refused = catchThrowableOfType(ApiException.class, () -> client.verifyKey("cmk_x").block());

        assertThat(refused.status().value()).isEqualTo(503);
        assertThat(refused.code()).isEqualTo(GatewayProblems.UPSTREAM_UNAVAILABLE);
    }

    @Test
    void anAnswerTheGatewayWasNotAllowedToGetIsA503UpstreamUnavailable() {
        TenantServiceClient client = clientOf(serve(401, "{\"code\":\"identity_invalid\"}"));

        ApiException refused = catchThrowableOfType(ApiException.class, () -> client.verifyKey("cmk_x").block());

        assertThat(refused.code()).isEqualTo(GatewayProblems.UPSTREAM_UNAVAILABLE);
    }

    @Test
    void aFailingTenantServiceIsNoLongerCalledOnceTheBreakerOpens() {
        TenantServiceClient client = clientOf(serve(500, "{}"));

        for (int i = 0; i < 6; i++) {
            ApiException refused = catchThrowableOfType(ApiException.class, () -> client.jwks().block());
            assertThat(refused.code()).isEqualTo(GatewayProblems.UPSTREAM_UNAVAILABLE);
        }

        assertThat(requests).hasValue(4);
    }

    private TenantServiceClient clientOf(URI url) {
        InternalClientSettings settings = new InternalClientSettings(url, Duration.ofSeconds(1), Duration.ofSeconds(2),
                BREAKER);
        return new TenantServiceClient(ReactiveInternalClient.create("tenant-service", settings, CODEC, "gateway"),
                "/.well-known/jwks.json");
    }

    private URI serve(int status, String body) {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            try (exchange) {
                requests.incrementAndGet();
                String token = exchange.getRequestHeaders().getFirst(Identity.HEADER);
                if (token != null) {
                    identities.add(CODEC.verify(token));
                }
                exchange.getRequestBody().readAllBytes();
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
