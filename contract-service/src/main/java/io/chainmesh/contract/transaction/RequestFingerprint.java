package io.chainmesh.contract.transaction;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * SHA-256 over the method, path and canonical JSON body (object keys sorted), so that {@code {"a":1,"b":2}} and
 * {@code {"b":2,"a":1}} are the same request for Idempotency-Key comparison.
 */
public final class RequestFingerprint {

    private RequestFingerprint() {
    }

    public static String of(JsonMapper json, String method, String path, Object body) {
        JsonNode canonical = canonical(body == null ? JsonNodeFactory.instance.nullNode() : json.valueToTree(body));
        String text = method + " " + path + "\n" + json.writeValueAsString(canonical);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!e.getValue().isNull()) {
                    sorted.put(e.getKey(), canonical(e.getValue()));
                }
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(n -> out.add(canonical(n)));
            return out;
        }
        return node;
    }
}
