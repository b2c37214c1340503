package io.chainmesh.contract;

import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import io.chainmesh.common.testing.PlatformFoundationChecks;

/** The service starts on real PostgreSQL and Redis and enforces the platform's identity wall. */
class PlatformFoundationIntegrationTest extends ContractServiceTestBase implements PlatformFoundationChecks {

    @Autowired
    JdbcClient jdbc;

    @Override
    public MockMvc foundationMvc() {
        return mvc;
    }

    @Override
    public JdbcClient foundationJdbc() {
        return jdbc;
    }

    @Override
    public String foundationToken(UUID tenantId) {
        return tokenFor(tenantId);
    }
}
