package io.chainmesh.tenant.signup;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.tenant.ErrorCode;
import io.chainmesh.tenant.tenant.Tenant;
import io.chainmesh.tenant.tenant.TenantEvents;
import io.chainmesh.tenant.tenant.TenantRepository;
import io.chainmesh.tenant.tenant.TenantStatus;
import io.chainmesh.tenant.user.Emails;
import io.chainmesh.tenant.user.PasswordHasher;
import io.chainmesh.tenant.user.User;
import io.chainmesh.tenant.user.UserRepository;
import io.chainmesh.tenant.user.UserRole;

/** Creates a tenant on the free plan together with its owner, in one transaction. */
@Service
class SignupService {

    static final String STARTING_PLAN = "free";

    private final TenantRepository tenants;
    private final UserRepository users;
    private final TenantEvents events;
    private final PasswordHasher passwords;
    private final TransactionTemplate tx;
    private final Clock clock;

    SignupService(TenantRepository tenants, UserRepository users, TenantEvents events, PasswordHasher passwords,
            TransactionTemplate tx, Clock clock) {
        this.tenants = tenants;
        this.users = users;
        this.events = events;
        this.passwords = passwords;
        this.tx = tx;
        this.clock = clock;
    }

    SignupResponse signUp(SignupRequest request) {
        String email = Emails.canonical(request.email());
        if (users.emailExists(email)) {
            throw emailTaken();
        }
        // hashed outside the transaction: a quarter second of BCrypt should not hold a pooled connection
        String hash = passwords.hash(request.password());
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Tenant tenant = new Tenant(UUID.randomUUID(), request.tenantName().trim(), STARTING_PLAN, TenantStatus.ACTIVE,
                false, now, now);
        User owner = new User(UUID.randomUUID(), tenant.id(), email, hash, UserRole.OWNER, now);
        try {
            tx.executeWithoutResult(status -> {
                tenants.insert(tenant);
                users.insert(owner);
                events.created(tenant);
            });
        } catch (DuplicateKeyException e) {
            // a concurrent signup with the same email won the race to the unique index
            throw emailTaken();
        }
        return new SignupResponse(
                new SignupResponse.TenantSummary(tenant.id(), tenant.name(), tenant.planId(), tenant.status(),
                        tenant.createdAt()),
                new SignupResponse.Owner(owner.id(), owner.email(), owner.role()));
    }

    private static ApiException emailTaken() {
        return ErrorCode.EMAIL_TAKEN.exception("An account with this email already exists").with("field", "email");
    }
}
