package io.chainmesh.gateway.auth;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.chainmesh.common.identity.Identity;
import io.chainmesh.common.problem.ApiException;
import io.chainmesh.gateway.GatewayProperties;
import io.chainmesh.gateway.web.GatewayProblems;
import reactor.core.publisher.Mono;

/**
 * Turns a portal JWT (RS256, issued by tenant-service's {@code POST /v1/auth/token}) into a {@link Caller}: signature
 * against the JWKS, {@code iss}, {@code aud}, {@code exp}/{@code nbf} with a small skew, then the tenant's current
 * status and limits from {@link TenantContextSource} (so a suspension takes effect before the JWT expires).
 */
@Component
class JwtAuthenticator {

    private final JwksKeySource keys;
    private final TenantContextSource tenantContexts;
    private final Clock clock;
    private final String issuer;
    private final String audience;
    private final Duration skew;

    JwtAuthenticator(JwksKeySource keys, TenantContextSource tenantContexts, Clock clock,
            GatewayProperties properties) {
        this.keys = keys;
        this.tenantContexts = tenantContexts;
        this.clock = clock;
        this.issuer = properties.auth().jwtIssuer();
        this.audience = properties.auth().jwtAudience();
        this.skew = properties.auth().jwtClockSkew();
    }

    Mono<Caller> authenticate(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            return Mono.error(invalid("The bearer token is neither an API key nor a JWT."));
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            return Mono.error(invalid("The token must be signed with RS256."));
        }
        return keys.verifierFor(jwt.getHeader().getKeyID())
                .switchIfEmpty(Mono.error(() -> invalid("The token is signed by an unknown key.")))
                .flatMap(verifier -> {
                    try {
                        if (!jwt.verify(verifier)) {
                            return Mono.error(invalid("The token signature is invalid."));
                        }
                    } catch (JOSEException e) {
                        return Mono.error(invalid("The token signature is invalid."));
                    }
                    return withTenant(claimsOf(jwt));
                });
    }

    private Claims claimsOf(SignedJWT jwt) {
        JWTClaimsSet claims;
        try {
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalid("The token claims are malformed.");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null || exp.toInstant().plus(skew).isBefore(now)) {
            throw invalid("The token has expired.");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(skew).isAfter(now)) {
            throw invalid("The token is not valid yet.");
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw invalid("The token was not issued by Chainmesh.");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(audience)) {
            throw invalid("The token is not meant for the Chainmesh API.");
        }
        try {
            String tid = claims.getStringClaim("tid");
            List<String> scopes = claims.getStringListClaim("scp");
            if (tid == null || claims.getSubject() == null) {
                throw invalid("The token names no tenant or user.");
            }
            return new Claims(UUID.fromString(tid), claims.getSubject(),
                    scopes == null ? Set.of() : new HashSet<>(scopes), claims.getStringClaim("plan"));
        } catch (ParseException | IllegalArgumentException e) {
            throw invalid("The token claims are malformed.");
        }
    }

    private Mono<Caller> withTenant(Claims claims) {
        return tenantContexts.contextOf(claims.tenantId())
                .switchIfEmpty(Mono.error(() -> invalid("The token's tenant no longer exists.")))
                .map(context -> {
                    TenantStatus.requireActive(context.status());
                    String plan = context.plan() != null ? context.plan() : claims.plan();
                    Identity identity = new Identity(claims.tenantId(), "user:" + claims.subject(), claims.scopes(),
                            plan, null);
                    return new Caller(identity, PlanLimits.of(context.limits()));
                });
    }

    private static ApiException invalid(String detail) {
        return ApiException.unauthorized(GatewayProblems.INVALID_TOKEN, detail);
    }

    private record Claims(UUID tenantId, String subject, Set<String> scopes, String plan) {
    }
}
