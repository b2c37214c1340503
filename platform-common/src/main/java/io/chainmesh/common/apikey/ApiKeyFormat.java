package io.chainmesh.common.apikey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.zip.CRC32;

/**
 * API key shape: {@code cmk_} + 32 base62 characters of randomness (~190 bits) + 6 base62 characters
 * of CRC32 checksum over the rest, like GitHub's token format. The fixed prefix lets secret scanners
 * find leaked keys; the checksum lets the gateway reject a mistyped or made-up key without a lookup.
 * Only {@link #hash(String)} is stored.
 */
public final class ApiKeyFormat {

    public static final String PREFIX = "cmk_";
    static final int RANDOM_LENGTH = 32;
    static final int CHECKSUM_LENGTH = 6;
    public static final int LENGTH = PREFIX.length() + RANDOM_LENGTH + CHECKSUM_LENGTH;
    /** How many leading characters are kept and shown to identify a key. */
    public static final int DISPLAY_PREFIX_LENGTH = PREFIX.length() + 8;

    private static final char[] BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeyFormat() {
    }

    public static String generate() {
        StringBuilder key = new StringBuilder(LENGTH).append(PREFIX);
        for (int i = 0; i < RANDOM_LENGTH; i++) {
            key.append(BASE62[RANDOM.nextInt(BASE62.length)]);
        }
        return key.append(checksum(key)).toString();
    }

    /** True when {@code candidate} has the right prefix, length, alphabet and checksum. */
    public static boolean isWellFormed(String candidate) {
        if (candidate == null || candidate.length() != LENGTH || !candidate.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < LENGTH; i++) {
            char c = candidate.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        String body = candidate.substring(0, LENGTH - CHECKSUM_LENGTH);
        return checksum(body).equals(candidate.substring(LENGTH - CHECKSUM_LENGTH));
    }

    public static String displayPrefix(String key) {
        return key.substring(0, DISPLAY_PREFIX_LENGTH);
    }

    /** SHA-256 hex of the key. Keys carry ~190 random bits, so a fast hash is enough (no dictionary to attack). */
    public static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For logs and traces: the display prefix and an ellipsis, never the secret part. */
    public static String redact(String key) {
        if (key == null) {
            return null;
        }
        return key.length() > DISPLAY_PREFIX_LENGTH ? key.substring(0, Math.min(DISPLAY_PREFIX_LENGTH, key.length())) + "…" : "…";
    }

    static String checksum(CharSequence body) {
        CRC32 crc = new CRC32();
        crc.update(body.toString().getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = BASE62[(int) (value % 62)];
            value /= 62;
        }
        return new String(out);
    }
}
