package io.chainmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.tenant.TenantContextView;
import tools.jackson.databind.json.JsonMapper;

class TenantServiceStandInTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersTheContextATestSetAndTheFreePlanOtherwise() throws Exception {
        TenantServiceStandIn standIn = TenantServiceStandIn.shared();
        UUID limited = UUID.randomUUID();
        standIn.limits(limited, new TenantContextView.Limits(1, 2, 3L, 4, 5));

        TenantContextView set = get(standIn, limited);
        TenantContextView other = get(standIn, UUID.randomUUID());

        assertThat(set.limits()).isEqualTo(new TenantContextView.Limits(1, 2, 3L, 4, 5));
        assertThat(other.limits()).isEqualTo(TenantServiceStandIn.FREE);
        assertThat(other.active()).isTrue();
    }

    @Test
    void refusesARequestWithoutAnIdentityToken() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(TenantServiceStandIn.shared().url()
                + "/internal/tenants/" + UUID.randomUUID() + "/context")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(401);
    }

    private TenantContextView get(TenantServiceStandIn standIn, UUID tenantId) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(standIn.url()
                + "/internal/tenants/" + tenantId + "/context")).header(Identity.HEADER, "token").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JsonMapper.builder().build().readValue(response.body(), TenantContextView.class);
    }
}
