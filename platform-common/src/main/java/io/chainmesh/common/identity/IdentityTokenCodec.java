package io.chainmesh.common.identity;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs and verifies the internal identity token (an HS256 JWT, issuer {@code chainmesh-gateway},
 * audience {@code chainmesh}). Short-lived on purpose: a token replayed from a log or a trace is
 * useless after {@code ttl}. The secret is shared by the gateway and the services only; in the mesh,
 * Istio mTLS and AuthorizationPolicy are a second wall.
 *
 * <p>The gateway reuses one token per caller for half its life, so a service sees the same token string many times:
 * a token that verified is remembered (by its exact text, signature included) until it expires, and a repeat costs
 * one cache lookup instead of a JSON parse and an HMAC. Only verified tokens are remembered, at most
 * {@value #MAX_REMEMBERED} of them.
 */
public final class IdentityTokenCodec {

    static final String ISSUER = "chainmesh-gateway";
    static final String AUDIENCE = "chainmesh";
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(5);

    static final int MAX_REMEMBERED = 10_000;

    private final JWSSigner signer;
    private final Cache<String, Verified> verified;

    /** A token that verified, usable until {@code usableUntil} (its expiry plus the clock skew). */
    private record Verified(Identity identity, Instant usableUntil) {
    }
    private final JWSVerifier verifier;
    private final Duration ttl;
    private final Clock clock;

    public IdentityTokenCodec(String secret, Duration ttl, Clock clock) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < 32) {
            throw new IllegalArgumentException("chainmesh.platform.identity.secret must be at least 32 bytes");
        }
        try {
            this.signer = new MACSigner(key);
            this.verifier = new MACVerifier(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("Invalid identity secret", e);
        }
        this.ttl = ttl;
        this.clock = clock;
        // A remembered token can never outlive its own expiry; the clock's time drives the cache too, so a test's
        // clock moves both.
        this.verified = Caffeine.newBuilder()
                .maximumSize(MAX_REMEMBERED)
                .expireAfterWrite(ttl.plus(CLOCK_SKEW))
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .build();
    }

    public String sign(Identity identity) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(identity.principal())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .claim("scp", List.copyOf(identity.scopes()));
        if (identity.tenantId() != null) {
            claims.claim("tid", identity.tenantId().toString());
        }
        if (identity.plan() != null) {
            claims.claim("plan", identity.plan());
        }
        if (identity.keyId() != null) {
            claims.claim("kid", identity.keyId().toString());
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot sign identity token", e);
        }
        return jwt.serialize();
    }

    /** Returns the identity, or throws {@link InvalidIdentityTokenException} saying why not. */
    public Identity verify(String token) {
        Verified known = verified.getIfPresent(token);
        if (known != null) {
            if (!known.usableUntil().isBefore(clock.instant())) {
                return known.identity();
            }
            verified.invalidate(token);
            throw new InvalidIdentityTokenException("identity token has expired");
        }
        return verifyFully(token);
    }

    private Identity verifyFully(String token) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidIdentityTokenException("identity token is not a JWT");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidIdentityTokenException("identity token uses an unexpected algorithm");
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new InvalidIdentityTokenException("identity token signature is invalid");
            }
        } catch (JOSEException e) {
            throw new InvalidIdentityTokenException("identity token signature is invalid");
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || claims.getExpirationTime().toInstant().plus(CLOCK_SKEW).isBefore(now)) {
            throw new InvalidIdentityTokenException("identity token has expired");
        }
        if (!ISSUER.equals(claims.getIssuer()) || claims.getAudience() == null || !claims.getAudience().contains(AUDIENCE)) {
            throw new InvalidIdentityTokenException("identity token has the wrong issuer or audience");
        }
        try {
            String tid = claims.getStringClaim("tid");
            String kid = claims.getStringClaim("kid");
            List<String> scopes = claims.getStringListClaim("scp");
            Identity identity = new Identity(tid == null ? null : UUID.fromString(tid), claims.getSubject(),
                    scopes == null ? new HashSet<>() : new HashSet<>(scopes), claims.getStringClaim("plan"),
                    kid == null ? null : UUID.fromString(kid));
            verified.put(token, new Verified(identity, claims.getExpirationTime().toInstant().plus(CLOCK_SKEW)));
            return identity;
        } catch (ParseException | IllegalArgumentException e) {
            throw new InvalidIdentityTokenException("identity token claims are malformed");
        }
    }

    public static final class InvalidIdentityTokenException extends RuntimeException {
        public InvalidIdentityTokenException(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
