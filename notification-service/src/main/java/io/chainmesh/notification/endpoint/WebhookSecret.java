package io.chainmesh.notification.endpoint;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Endpoint signing secrets in the Standard Webhooks format: {@code whsec_} followed by the base64 of the key bytes
 * (24 random bytes here, as Svix issues them). Receivers' libraries strip the prefix and base64-decode the rest.
 */
public final class WebhookSecret {

    public static final String PREFIX = "whsec_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecret() {
    }

    public static String generate() {
        byte[] key = new byte[24];
        RANDOM.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    /** The HMAC key of a secret: its base64 part decoded. */
    public static byte[] keyOf(String secret) {
        String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }
}
