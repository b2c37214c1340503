package io.chainmesh.notification.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies received webhooks with the {@code standardwebhooks} npm package (pinned in the repository's package.json),
 * run with node: an implementation of the specification that shares no code with ours.
 */
public final class StandardWebhooksVerifier {

    public record Result(boolean ok, String id, String eventId, String error) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private StandardWebhooksVerifier() {
    }

    /** The repository root: the parent of the module directory (user.dir under surefire/failsafe). */
    public static Path repositoryRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        return Files.isDirectory(dir.resolve("node_modules")) ? dir : dir.getParent();
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asString();
    }

    public static List<Result> verify(String secret, List<TestReceiver.Received> requests) {
        List<Map<String, Object>> input = new ArrayList<>();
        for (TestReceiver.Received r : requests) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("secret", secret);
            item.put("headers", Map.of("webhook-id", r.headers().get("webhook-id"),
                    "webhook-timestamp", r.headers().get("webhook-timestamp"),
                    "webhook-signature", r.headers().get("webhook-signature")));
            item.put("body", r.body());
            input.add(item);
        }
        try {
            Path root = repositoryRoot();
            Path script = root.resolve("notification-service/src/test/resources/verify-standardwebhooks.js");
            Process node = new ProcessBuilder("node", script.toString()).directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            node.getOutputStream().write(JSON.writeValueAsBytes(input));
            node.getOutputStream().close();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0) {
                throw new IllegalStateException("node verifier failed: " + out);
            }
            List<Result> results = new ArrayList<>();
            for (JsonNode n : JSON.readTree(out)) {
                results.add(new Result(n.path("ok").asBoolean(), text(n, "id"), text(n, "eventId"), text(n, "error")));
            }
            return results;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
