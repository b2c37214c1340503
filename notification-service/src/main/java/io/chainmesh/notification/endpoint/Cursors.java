package io.chainmesh.notification.endpoint;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.chainmesh.notification.ErrorCode;

/** Opaque keyset cursors over a table's {@code seq}: clients page on, they do not compute offsets. */
public final class Cursors {

    private Cursors() {
    }

    public static String encode(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s:" + seq).getBytes(StandardCharsets.UTF_8));
    }

    /** @return the seq after which the page starts; 0 for no cursor */
    public static long decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith("s:")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(text.substring(2));
        } catch (IllegalArgumentException e) {
            throw ErrorCode.INVALID_CURSOR.exception("The cursor is not one this API issued")
                    .with("parameter", "cursor");
        }
    }
}
