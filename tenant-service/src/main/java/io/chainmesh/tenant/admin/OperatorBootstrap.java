package io.chainmesh.tenant.admin;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.tenant.TenantProperties;
import io.chainmesh.tenant.tenant.Tenant;
import io.chainmesh.tenant.tenant.TenantEvents;
import io.chainmesh.tenant.tenant.TenantRepository;
import io.chainmesh.tenant.tenant.TenantStatus;
import io.chainmesh.tenant.user.Emails;
import io.chainmesh.tenant.user.PasswordHasher;
import io.chainmesh.tenant.user.User;
import io.chainmesh.tenant.user.UserRepository;
import io.chainmesh.tenant.user.UserRole;

/**
 * Makes sure the operator account from {@code chainmesh.tenant.operator} exists at every start, in the
 * platform tenant on the enterprise plan. The configuration is the source of truth: when the configured
 * password changes, the stored hash follows it, which is how an operator password is rotated.
 */
@Component
class OperatorBootstrap implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(OperatorBootstrap.class);
    private static final long LOCK = 0x636d_6f70_6572L; // "cmoper": serialises replicas starting together
    static final String DEVELOPMENT_PASSWORD = "chainmesh-operator-dev";
    static final String PLATFORM_PLAN = "enterprise";

    private final TenantProperties.Operator operator;
    private final TenantRepository tenants;
    private final UserRepository users;
    private final TenantEvents events;
    private final PasswordHasher passwords;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    OperatorBootstrap(TenantProperties properties, TenantRepository tenants, UserRepository users, TenantEvents events,
            PasswordHasher passwords, JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
        this.operator = properties.operator();
        this.tenants = tenants;
        this.users = users;
        this.events = events;
        this.passwords = passwords;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        String email = Emails.canonical(operator.email());
        tx.executeWithoutResult(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(:lock)").param("lock", LOCK).query().singleRow();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            Tenant platform = tenants.findPlatformTenant().orElseGet(() -> {
                Tenant created = new Tenant(UUID.randomUUID(), operator.tenantName(), PLATFORM_PLAN, TenantStatus.ACTIVE,
                        true, now, now);
                tenants.insert(created);
                events.created(created);
                return created;
            });
            User existing = users.findByEmail(email).orElse(null);
            if (existing == null) {
                users.insert(new User(UUID.randomUUID(), platform.id(), email, passwords.hash(operator.password()),
                        UserRole.OPERATOR, now));
                log.info("Created operator account {}", email);
            } else if (existing.role() != UserRole.OPERATOR || !existing.tenantId().equals(platform.id())) {
                // refusing beats silently promoting a tenant's user to operator
                throw new IllegalStateException("chainmesh.tenant.operator.email " + email
                        + " already belongs to a tenant user; choose another operator email");
            } else if (!passwords.matches(operator.password(), existing.passwordHash())) {
                users.updatePasswordHash(platform.id(), existing.id(), passwords.hash(operator.password()));
                log.info("Operator account {} password updated from configuration", email);
            }
        });
        if (DEVELOPMENT_PASSWORD.equals(operator.password())) {
            log.warn("The operator account uses the development default password; set CHAINMESH_OPERATOR_PASSWORD "
                    + "outside a developer machine");
        }
    }
}
