package io.chainmesh.common.pagination;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

import io.chainmesh.common.problem.ApiException;

/**
 * Opaque keyset cursor over lists ordered by {@code (created_at DESC, id DESC)}. Keyset rather than
 * offset so a page stays stable while rows are added in front of it.
 */
public record PageCursor(Instant createdAt, UUID id) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    /** {@code null} for a missing cursor (first page); 400 {@code invalid_cursor} for anything not made by {@link #encode()}. */
    public static PageCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            int colon = raw.indexOf(':');
            long micros = Long.parseLong(raw.substring(0, colon));
            return new PageCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), UUID.fromString(raw.substring(colon + 1)));
        } catch (RuntimeException e) {
            throw ApiException.badRequest("invalid_cursor", "Parameter 'cursor' is not a cursor returned by this list")
                    .with("parameter", "cursor");
        }
    }
}
