package io.chainmesh.notification.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.chainmesh.notification.endpoint.WebhookSecret;

/**
 * Signs deliveries per the Standard Webhooks specification: {@code v1,<base64 HMAC-SHA256(key, id.timestamp.body)>},
 * the key being the base64-decoded part of the {@code whsec_} secret. Several secrets (during a rotation overlap) give
 * several space-separated signatures; a receiver accepts the message if any one verifies.
 */
final class WebhookSigner {

    private WebhookSigner() {
    }

    static String signatureHeader(String messageId, long timestampSeconds, String body, List<String> secrets) {
        return secrets.stream().map(s -> "v1," + sign(messageId, timestampSeconds, body, s))
                .collect(Collectors.joining(" "));
    }

    static String sign(String messageId, long timestampSeconds, String body, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WebhookSecret.keyOf(secret), "HmacSHA256"));
            byte[] digest = mac.doFinal((messageId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
