package io.chainmesh.blockchain.upstream;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Small JSON-RPC calls the platform makes itself (start-up checks, health probes), not tenant traffic, which goes
 * through the proxy's upstream pools with their breakers. Same client as the proxy ({@link UpstreamClient}).
 */
@Component
public class JsonRpcProbe {

    private final UpstreamClient http;
    private final JsonMapper json;

    JsonRpcProbe(UpstreamClient http, JsonMapper json) {
        this.http = http;
        this.json = json;
    }

    /** The whole JSON-RPC response (a batch gives an array), errors inside it included. */
    public JsonNode call(String url, String requestJson, Duration timeout) throws UpstreamFailure {
        byte[] answer = http.post(URI.create(url), requestJson.getBytes(StandardCharsets.UTF_8), timeout);
        try {
            JsonNode response = json.readTree(answer);
            if (response == null || !(response.isObject() || response.isArray())) {
                throw new UpstreamFailure(UpstreamFailure.Kind.MALFORMED_ANSWER, "not a JSON-RPC answer");
            }
            return response;
        } catch (JacksonException e) {
            throw new UpstreamFailure(UpstreamFailure.Kind.MALFORMED_ANSWER, "not JSON");
        }
    }

    /** The {@code result} of one call; a JSON-RPC error is thrown as the failure of its kind. */
    public JsonNode result(String url, String method, String paramsJson, Duration timeout) throws UpstreamFailure {
        JsonNode response = call(url, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":"
                + paramsJson + "}", timeout);
        JsonNode error = response.get("error");
        if (error != null && error.isObject()) {
            throw new UpstreamFailure(UpstreamFailure.Kind.ofJsonRpcError(error.path("code").asInt()),
                    method + " answered error " + error.path("code").asInt());
        }
        JsonNode result = response.get("result");
        if (result == null) {
            throw new UpstreamFailure(UpstreamFailure.Kind.MALFORMED_ANSWER, method + " answered no result");
        }
        return result;
    }

    /** {@code eth_chainId} as a number. */
    public long chainId(String url, Duration timeout) throws UpstreamFailure {
        String hex = result(url, "eth_chainId", "[]", timeout).asString("");
        if (!hex.startsWith("0x") || hex.length() < 3) {
            throw new UpstreamFailure(UpstreamFailure.Kind.MALFORMED_ANSWER, "no chain id in the answer");
        }
        try {
            return Long.parseLong(hex.substring(2), 16);
        } catch (NumberFormatException e) {
            throw new UpstreamFailure(UpstreamFailure.Kind.MALFORMED_ANSWER, "no chain id in the answer");
        }
    }
}
