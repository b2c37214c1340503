package io.chainmesh.tenant.auth;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;

import io.chainmesh.tenant.TenantProperties;

/**
 * The RS256 key pairs that sign access tokens. On first start of the first replica a key pair is
 * generated and stored; later starts and other replicas load it, so tokens outlive restarts and
 * verify on every replica. An advisory lock keeps two replicas starting together from making two.
 *
 * <p>The private key sits in the service's own database, readable only by this service; a KMS or a
 * sealed secret would be the next step up for a production deployment.
 */
@Component
class SigningKeyStore implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(SigningKeyStore.class);
    private static final long LOCK = 0x636d_6b65_7973L; // "cmkeys": any constant shared by all replicas

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final TenantProperties.Jwt settings;

    private volatile RSAKey signingKey;
    private volatile JWKSet publicKeys;

    SigningKeyStore(JdbcClient jdbc, TransactionTemplate tx, Clock clock, TenantProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.settings = properties.jwt();
    }

    private record StoredKey(String kid, String privateKey, String publicKey, OffsetDateTime createdAt,
            OffsetDateTime retiredAt) {
    }

    @Override
    public void afterPropertiesSet() {
        tx.executeWithoutResult(status -> {
            jdbc.sql("SELECT pg_advisory_xact_lock(:lock)").param("lock", LOCK).query().singleRow();
            if (activeKeys().isEmpty()) {
                RSAKey generated = generate(settings.keySize());
                store(generated);
                log.info("Generated RS256 signing key {}", generated.getKeyID());
            }
        });
        load();
    }

    /** The key new tokens are signed with: the newest unretired one. */
    RSAKey signingKey() {
        return signingKey;
    }

    /** Public halves of the keys whose tokens may still be valid. */
    JWKSet publicKeys() {
        return publicKeys;
    }

    private void load() {
        Instant now = clock.instant();
        List<StoredKey> rows = jdbc.sql("""
                SELECT kid, private_key, public_key, created_at, retired_at FROM signing_keys
                WHERE retired_at IS NULL OR retired_at > :since ORDER BY created_at DESC""")
                .param("since", now.minus(settings.ttl()).atOffset(ZoneOffset.UTC))
                .query(StoredKey.class).list();
        List<RSAKey> keys = rows.stream().map(SigningKeyStore::toJwk).toList();
        this.signingKey = rows.stream().filter(r -> r.retiredAt() == null).findFirst().map(SigningKeyStore::toJwk)
                .orElseThrow(() -> new IllegalStateException("No active signing key"));
        this.publicKeys = new JWKSet(keys.stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList());
    }

    private List<String> activeKeys() {
        return jdbc.sql("SELECT kid FROM signing_keys WHERE retired_at IS NULL").query(String.class).list();
    }

    private void store(RSAKey key) {
        try {
            jdbc.sql("""
                    INSERT INTO signing_keys (kid, private_key, public_key, created_at)
                    VALUES (:kid, :privateKey, :publicKey, :createdAt)""")
                    .param("kid", key.getKeyID())
                    .param("privateKey", Base64.getEncoder().encodeToString(key.toRSAPrivateKey().getEncoded()))
                    .param("publicKey", Base64.getEncoder().encodeToString(key.toRSAPublicKey().getEncoded()))
                    .param("createdAt", clock.instant().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC))
                    .update();
        } catch (JOSEException e) {
            throw new IllegalStateException("Cannot encode signing key", e);
        }
    }

    static RSAKey generate(int keySize) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(keySize);
            KeyPair pair = generator.generateKeyPair();
            return build((RSAPublicKey) pair.getPublic(), (RSAPrivateKey) pair.getPrivate());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey toJwk(StoredKey row) {
        try {
            KeyFactory factory = KeyFactory.getInstance("RSA");
            RSAPublicKey publicKey = (RSAPublicKey) factory.generatePublic(
                    new X509EncodedKeySpec(Base64.getDecoder().decode(row.publicKey())));
            RSAPrivateKey privateKey = (RSAPrivateKey) factory.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(row.privateKey())));
            RSAKey key = build(publicKey, privateKey);
            if (!key.getKeyID().equals(row.kid())) {
                throw new IllegalStateException("Stored signing key " + row.kid() + " does not match its thumbprint");
            }
            return key;
        } catch (NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw new IllegalStateException("Cannot read stored signing key " + row.kid(), e);
        }
    }

    /** The key id is the RFC 7638 thumbprint, so it is derived from the key and cannot drift from it. */
    private static RSAKey build(RSAPublicKey publicKey, RSAPrivateKey privateKey) {
        try {
            RSAKey withoutId = new RSAKey.Builder(publicKey).privateKey(privateKey).build();
            return new RSAKey.Builder(publicKey).privateKey(privateKey).keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256).keyID(withoutId.computeThumbprint().toString()).build();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
