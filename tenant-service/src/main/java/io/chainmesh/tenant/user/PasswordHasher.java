package io.chainmesh.tenant.user;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

import io.chainmesh.tenant.TenantProperties;

/**
 * Slow, salted password hashing with BCrypt.
 *
 * <p>BCrypt only reads the first 72 bytes of its input, and Spring Security refuses longer inputs
 * (CVE-2025-22228). We accept passwords of up to 128 characters, so the password is first reduced to
 * base64(SHA-256(password)) — 44 ASCII bytes that keep all of its entropy — and that is what BCrypt
 * hashes.
 */
@Component
public class PasswordHasher {

    private final BCryptPasswordEncoder bcrypt;
    /** Hash of a password nobody has, checked against when the email is unknown so both paths cost the same. */
    private final String decoy;

    @Autowired
    public PasswordHasher(TenantProperties properties) {
        this(properties.passwords().bcryptStrength());
    }

    PasswordHasher(int strength) {
        this.bcrypt = new BCryptPasswordEncoder(strength);
        this.decoy = bcrypt.encode(prehash("decoy-" + System.nanoTime()));
    }

    public String hash(String password) {
        return bcrypt.encode(prehash(password));
    }

    public boolean matches(String password, String hash) {
        return hash != null && bcrypt.matches(prehash(password), hash);
    }

    /** Spends the time of a real check, so a response time does not reveal whether an email is registered. */
    public void matchDecoy(String password) {
        bcrypt.matches(prehash(password), decoy);
    }

    static String prehash(String password) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
