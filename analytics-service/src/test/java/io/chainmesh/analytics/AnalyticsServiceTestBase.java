package io.chainmesh.analytics;

import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

import io.chainmesh.common.identity.IdentityTokenCodec;
import io.chainmesh.testing.IdentityTokens;

/**
 * The one Spring context of analytics-service's integration tests (every subclass inherits exactly this
 * configuration, so the context cache starts it once). Runs against the local PostgreSQL (database
 * {@code chainmesh_test_analytics}) and Redis. The consumer reads its own stream name, not
 * {@code chainmesh.usage}, so the tests never take events from an analytics-service running on the same Redis.
 */
@SpringBootTest(properties = {
        "CHAINMESH_DB_PREFIX=chainmesh_test",
        "chainmesh.analytics.consumer.stream=" + AnalyticsServiceTestBase.USAGE_STREAM,
        "chainmesh.analytics.consumer.name=analytics-test",
        "chainmesh.analytics.consumer.block=200ms"})
@AutoConfigureMockMvc
public abstract class AnalyticsServiceTestBase {

    protected static final String USAGE_STREAM = "chainmesh.test.analytics.usage";

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected IdentityTokenCodec identityCodec;

    protected String tokenFor(UUID tenantId) {
        return new IdentityTokens(identityCodec).user(tenantId, "free");
    }
}
