package io.chainmesh.tenant.plan;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import io.chainmesh.tenant.ErrorCode;

/**
 * The plan catalogue. Plans are platform-wide (not tenant data), seeded and changed by Flyway
 * migrations, which is why no method takes a tenant id.
 */
@Repository
public class PlanCatalogue {

    private static final String COLUMNS = """
            id, name, requests_per_second, burst, monthly_compute_units, max_nodes, max_webhooks, price_cents_per_month""";

    private final JdbcClient jdbc;

    PlanCatalogue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<Plan> all() {
        return jdbc.sql("SELECT " + COLUMNS + " FROM plans ORDER BY sort_order").query(Plan.class).list();
    }

    public Optional<Plan> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM plans WHERE id = :id").param("id", id).query(Plan.class).optional();
    }

    /** The plan, or 400 {@code unknown_plan} naming the offered ones. */
    public Plan require(String id) {
        return find(id).orElseThrow(() -> ErrorCode.UNKNOWN_PLAN.exception(
                "Plan '" + id + "' does not exist; plans are " + all().stream().map(Plan::id).toList()).with("field", "plan"));
    }
}
