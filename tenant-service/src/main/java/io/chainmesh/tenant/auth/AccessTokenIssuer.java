package io.chainmesh.tenant.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.chainmesh.tenant.TenantProperties;

/**
 * Mints RS256 access tokens (RFC 9068 shape: {@code typ at+jwt}): {@code iss}, {@code aud}, {@code sub}
 * = user id, {@code tid} = tenant id, {@code scp} = scopes, {@code plan}. The gateway verifies them
 * against {@code /.well-known/jwks.json}.
 */
final class AccessTokenIssuer {

    private final TenantProperties.Jwt settings;
    private final Clock clock;

    AccessTokenIssuer(TenantProperties.Jwt settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    record AccessToken(String value, long expiresInSeconds) {
        @Override
        public String toString() {
            return "AccessToken[expiresInSeconds=" + expiresInSeconds + "]";
        }
    }

    AccessToken issue(RSAKey key, UUID userId, UUID tenantId, List<String> scopes, String plan) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .audience(settings.audience())
                .subject(userId.toString())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(settings.ttl())))
                .jwtID(UUID.randomUUID().toString())
                .claim("tid", tenantId.toString())
                .claim("scp", scopes)
                .claim("plan", plan)
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign access token", e);
        }
        return new AccessToken(jwt.serialize(), settings.ttl().toSeconds());
    }
}
