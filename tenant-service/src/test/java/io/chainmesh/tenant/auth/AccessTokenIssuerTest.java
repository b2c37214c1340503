package io.chainmesh.tenant.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.chainmesh.tenant.TenantProperties;

class AccessTokenIssuerTest {

    private static final RSAKey KEY = SigningKeyStore.generate(2048);
    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    private final AccessTokenIssuer issuer = new AccessTokenIssuer(
            new TenantProperties.Jwt("chainmesh", "chainmesh-api", Duration.ofMinutes(30), 2048),
            Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void tokenCarriesTheContractClaimsAndVerifiesWithThePublicKey() throws Exception {
        UUID user = UUID.randomUUID();
        UUID tenant = UUID.randomUUID();
        AccessTokenIssuer.AccessToken token = issuer.issue(KEY, user, tenant, List.of("keys", "read"), "developer");

        SignedJWT jwt = SignedJWT.parse(token.value());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(jwt.getHeader().getKeyID()).isEqualTo(KEY.getKeyID());
        assertThat(jwt.verify(new RSASSAVerifier(KEY.toPublicJWK()))).isTrue();

        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(claims.getIssuer()).isEqualTo("chainmesh");
        assertThat(claims.getAudience()).containsExactly("chainmesh-api");
        assertThat(claims.getSubject()).isEqualTo(user.toString());
        assertThat(claims.getStringClaim("tid")).isEqualTo(tenant.toString());
        assertThat(claims.getStringListClaim("scp")).containsExactly("keys", "read");
        assertThat(claims.getStringClaim("plan")).isEqualTo("developer");
        assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(token.expiresInSeconds()).isEqualTo(1800);
    }

    @Test
    void tokenSignedByAnotherKeyDoesNotVerify() throws Exception {
        String token = issuer.issue(SigningKeyStore.generate(2048), UUID.randomUUID(), UUID.randomUUID(), List.of("read"),
                "free").value();
        assertThat(SignedJWT.parse(token).verify(new RSASSAVerifier(KEY.toPublicJWK()))).isFalse();
    }

    @Test
    void keyIdIsTheRfc7638Thumbprint() throws Exception {
        assertThat(KEY.getKeyID()).isEqualTo(KEY.computeThumbprint().toString());
    }
}
