package io.chainmesh.analytics.usage;

import static io.chainmesh.analytics.usage.UsageIngestionIntegrationTest.usage;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;

import io.chainmesh.analytics.AnalyticsServiceTestBase;
import io.chainmesh.common.identity.Identity;

/**
 * Queries run against aggregates written by the real handler (not through the stream, so the data is in place
 * before the request and the test needs no waiting).
 */
class UsageQueryIntegrationTest extends AnalyticsServiceTestBase {

    private static final Instant T0 = Instant.parse("2025-03-04T10:00:00Z");

    @Autowired
    UsageEventHandler handler;

    @Test
    void usageIsReturnedInBucketsOfTheRequestedIntervalWithTotals() throws Exception {
        UUID tenant = UUID.randomUUID();
        handler.handle(usage(tenant, T0.plusSeconds(5), 200, 10.0, 3));
        handler.handle(usage(tenant, T0.plusSeconds(70), 503, 30.0, 2));
        handler.handle(usage(tenant, T0.plusSeconds(3_700), 429, 5.0, 1));

        mvc.perform(get("/v1/analytics/usage").header(Identity.HEADER, tokenFor(tenant))
                        .param("from", "2025-03-04T10:00:00Z").param("to", "2025-03-04T12:00:00Z")
                        .param("interval", "hour"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.tenantId").value(tenant.toString()))
                .andExpect(jsonPath("$.interval").value("hour"))
                .andExpect(jsonPath("$.from").value("2025-03-04T10:00:00Z"))
                .andExpect(jsonPath("$.buckets.length()").value(2))
                .andExpect(jsonPath("$.buckets[0].start").value("2025-03-04T10:00:00Z"))
                .andExpect(jsonPath("$.buckets[0].requests").value(2))
                .andExpect(jsonPath("$.buckets[0].errors").value(1))
                .andExpect(jsonPath("$.buckets[0].serverErrors").value(1))
                .andExpect(jsonPath("$.buckets[0].computeUnits").value(5))
                .andExpect(jsonPath("$.buckets[0].requestBytes").value(200))
                .andExpect(jsonPath("$.buckets[0].responseBytes").value(2000))
                .andExpect(jsonPath("$.buckets[0].avgLatencyMs").value(20.0))
                .andExpect(jsonPath("$.buckets[1].start").value("2025-03-04T11:00:00Z"))
                .andExpect(jsonPath("$.buckets[1].clientErrors").value(1))
                .andExpect(jsonPath("$.totals.requests").value(3))
                .andExpect(jsonPath("$.totals.errors").value(2))
                .andExpect(jsonPath("$.totals.computeUnits").value(6));

        mvc.perform(get("/v1/analytics/usage").header(Identity.HEADER, tokenFor(tenant))
                        .param("from", "2025-03-04T10:00:00Z").param("to", "2025-03-04T10:05:00Z")
                        .param("interval", "minute"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.buckets.length()").value(5))
                .andExpect(jsonPath("$.buckets[1].requests").value(1))
                .andExpect(jsonPath("$.buckets[2].requests").value(0))
                .andExpect(jsonPath("$.totals.requests").value(2));
    }

    @Test
    void aTenantSeesNoneOfAnotherTenantsUsage() throws Exception {
        UUID tenantA = UUID.randomUUID();
        UUID tenantB = UUID.randomUUID();
        handler.handle(usage(tenantA, T0.plusSeconds(5), 200, 10.0, 9));

        mvc.perform(get("/v1/analytics/usage").header(Identity.HEADER, tokenFor(tenantB))
                        .param("from", "2025-03-04T00:00:00Z").param("to", "2025-03-05T00:00:00Z")
                        .param("interval", "day"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.tenantId").value(tenantB.toString()))
                .andExpect(jsonPath("$.buckets[0].requests").value(0))
                .andExpect(jsonPath("$.totals.requests").value(0));
    }

    @Test
    void withoutParametersTheLast24HoursAreReturnedByHour() throws Exception {
        mvc.perform(get("/v1/analytics/usage").header(Identity.HEADER, tokenFor(UUID.randomUUID())))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.interval").value("hour"))
                .andExpect(jsonPath("$.buckets.length()").value(25));
    }

    @Test
    void aRequestWithoutIdentityIsRejectedWith401() throws Exception {
        mvc.perform(get("/v1/analytics/usage"))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("identity_required"));
    }

    @Test
    void anAnonymousIdentityIsRejectedWith401() throws Exception {
        mvc.perform(get("/v1/analytics/usage").header(Identity.HEADER, identityCodec.sign(Identity.anonymous())))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.code").value("authentication_required"));
    }

    @Test
    void anUnknownIntervalIsRejectedNamingTheParameter() throws Exception {
        mvc.perform(get("/v1/analytics/usage").header(Identity.HEADER, tokenFor(UUID.randomUUID()))
                        .param("interval", "week"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.code").value("invalid_parameter"))
                .andExpect(jsonPath("$.parameter").value("interval"))
                .andExpect(jsonPath("$.type").value("https://chainmesh.dev/problems/invalid-parameter"));
    }

    @Test
    void fromNotBeforeToIsRejected() throws Exception {
        mvc.perform(get("/v1/analytics/usage").header(Identity.HEADER, tokenFor(UUID.randomUUID()))
                        .param("from", "2025-03-04T10:00:00Z").param("to", "2025-03-04T10:00:00Z"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid_range"))
                .andExpect(jsonPath("$.parameter").value("from"));
    }

    @Test
    void aRangeWithTooManyBucketsIsRejected() throws Exception {
        mvc.perform(get("/v1/analytics/usage").header(Identity.HEADER, tokenFor(UUID.randomUUID()))
                        .param("from", "2025-03-01T00:00:00Z").param("to", "2025-03-04T00:00:00Z")
                        .param("interval", "minute"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("range_too_large"))
                .andExpect(jsonPath("$.parameter").value("interval"));
    }

    @Test
    void aTimestampThatIsNotAnIsoInstantIsRejected() throws Exception {
        mvc.perform(get("/v1/analytics/usage").header(Identity.HEADER, tokenFor(UUID.randomUUID()))
                        .param("from", "yesterday"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.code").value("invalid_parameter"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("'from'")));
    }
}
