package io.chainmesh.blockchain.provisioning;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Small JSON-RPC calls the platform makes itself (start-up checks, health probes) — not tenant traffic, which goes
 * through the proxy's upstream pools with their breakers.
 */
@Component
public class RpcProbe {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final JsonMapper json;

    RpcProbe(JsonMapper json) {
        this.json = json;
    }

    /** The whole JSON-RPC response (a batch gives an array); throws on transport errors and non-200 answers. */
    public JsonNode call(String url, String requestJson, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(requestJson)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return json.readTree(response.body());
    }

    /** {@code eth_chainId} as a number. */
    public long chainId(String url, Duration timeout) throws IOException, InterruptedException {
        JsonNode response = call(url, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}",
                timeout);
        String hex = response.path("result").asString("");
        if (!hex.startsWith("0x")) {
            throw new IOException("no chain id in " + response);
        }
        return Long.parseLong(hex.substring(2), 16);
    }
}
