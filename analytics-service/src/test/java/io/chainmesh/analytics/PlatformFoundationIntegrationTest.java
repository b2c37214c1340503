package io.chainmesh.analytics;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;

class PlatformFoundationIntegrationTest extends AnalyticsServiceTestBase {

    @Test
    void readinessIsUpWithoutAToken() throws Exception {
        mvc.perform(get("/actuator/health/readiness")).andExpect(status().isOk())
                .andExpect(jsonPath("$.status").value("UP"));
    }

    @Test
    void theOpenApiDocumentDescribesTheUsageEndpoint() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/v1/analytics/usage'].get").exists())
                .andExpect(jsonPath("$.paths['/v1/analytics/usage'].get.parameters[*].name")
                        .value(org.hamcrest.Matchers.containsInAnyOrder("from", "to", "interval")));
    }
}
