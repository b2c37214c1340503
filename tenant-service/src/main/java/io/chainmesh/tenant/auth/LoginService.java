package io.chainmesh.tenant.auth;

import java.time.Clock;
import java.util.List;

import org.springframework.stereotype.Service;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.tenant.ErrorCode;
import io.chainmesh.tenant.TenantProperties;
import io.chainmesh.tenant.tenant.Tenant;
import io.chainmesh.tenant.tenant.TenantRepository;
import io.chainmesh.tenant.user.Emails;
import io.chainmesh.tenant.user.PasswordHasher;
import io.chainmesh.tenant.user.User;
import io.chainmesh.tenant.user.UserRepository;

/** Exchanges email and password for an access token. */
@Service
class LoginService {

    private final UserRepository users;
    private final TenantRepository tenants;
    private final PasswordHasher passwords;
    private final SigningKeyStore keys;
    private final AccessTokenIssuer issuer;

    LoginService(UserRepository users, TenantRepository tenants, PasswordHasher passwords, SigningKeyStore keys,
            TenantProperties properties, Clock clock) {
        this.users = users;
        this.tenants = tenants;
        this.passwords = passwords;
        this.keys = keys;
        this.issuer = new AccessTokenIssuer(properties.jwt(), clock);
    }

    TokenResponse login(TokenRequest request) {
        User user = users.findByEmail(Emails.canonical(request.email())).orElse(null);
        if (user == null) {
            passwords.matchDecoy(request.password());
            throw invalidCredentials();
        }
        if (!passwords.matches(request.password(), user.passwordHash())) {
            throw invalidCredentials();
        }
        // checked only after the password, so a suspension is not disclosed to someone guessing
        Tenant tenant = tenants.find(user.tenantId()).orElseThrow(LoginService::invalidCredentials);
        if (tenant.isSuspended()) {
            throw ErrorCode.TENANT_SUSPENDED.exception("Tenant " + tenant.id() + " is suspended");
        }
        List<String> scopes = user.role().scopes().stream().sorted().toList();
        AccessTokenIssuer.AccessToken token = issuer.issue(keys.signingKey(), user.id(), tenant.id(), scopes,
                tenant.planId());
        return new TokenResponse(token.value(), "Bearer", token.expiresInSeconds());
    }

    private static ApiException invalidCredentials() {
        // one answer for unknown email and wrong password, so emails cannot be enumerated here
        return ErrorCode.INVALID_CREDENTIALS.exception("Email or password is wrong");
    }
}
