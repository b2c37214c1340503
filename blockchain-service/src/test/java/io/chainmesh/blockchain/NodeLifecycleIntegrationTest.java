package io.chainmesh.blockchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.http.MediaType;

import io.chainmesh.common.events.EventCodec;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.NodeStatusChanged;
import io.chainmesh.common.events.Streams;
import io.chainmesh.common.identity.Identity;
import tools.jackson.databind.JsonNode;

/** Local (anvil) nodes through their whole life, against real anvil processes. */
class NodeLifecycleIntegrationTest extends BlockchainServiceTestBase {

    @Autowired
    StringRedisTemplate redis;

    private static Path dataDir(String nodeId) {
        return Path.of("target/test-nodes").toAbsolutePath().resolve(nodeId);
    }

    private static long pidOf(String nodeId) throws Exception {
        return Long.parseLong(Files.readString(dataDir(nodeId).resolve("anvil.pid")).strip());
    }

    private int rpcStatus(String token, String nodeId) throws Exception {
        return mvc.perform(post("/v1/nodes/" + nodeId + "/rpc").header(Identity.HEADER, token)
                .contentType(MediaType.APPLICATION_JSON).content(call("eth_chainId", "[]"))).andReturn()
                .getResponse().getStatus();
    }

    /** The types of the node's events on {@code chainmesh.chain}, oldest first. */
    private List<String> eventTypesOf(UUID nodeId) {
        return redis.opsForStream().read(StreamOffset.fromStart(Streams.CHAIN)).stream()
                .map(record -> EventCodec.decode((String) record.getValue().get(Streams.FIELD)))
                .filter(e -> e.event().orElse(null) instanceof NodeStatusChanged changed
                        && changed.nodeId().equals(nodeId))
                .map(EventEnvelope::type).toList();
    }

    @Test
    void aLocalNodeRunsKeepsItsChainAcrossRestartsAndLeavesNothingBehindWhenDeleted() throws Exception {
        UUID tenant = UUID.randomUUID();
        String token = tokenFor(tenant);
        JsonNode created = createNode(token, "{\"name\":\"dev chain\",\"network\":\"anvil\"}");
        String id = created.path("id").asString();
        assertThat(created.path("status").asString()).isEqualTo("PROVISIONING");
        assertThat(created.path("driver").asString()).isEqualTo("local");
        assertThat(created.has("upstreams")).as("a local node's host:port is not shown").isFalse();

        JsonNode running = awaitStatus(token, id, "RUNNING", Duration.ofSeconds(30));
        long chainId = running.path("chainId").asLong();
        assertThat(chainId).isGreaterThan(900000);
        String chainIdAnswer = rpc(token, id, call("eth_chainId", "[]"));
        assertThat(json.readTree(chainIdAnswer).path("result").asString()).isEqualTo("0x" + Long.toHexString(chainId));
        long pid = pidOf(id);
        assertThat(ProcessHandle.of(pid)).hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
        assertThat(dataDir(id).resolve("anvil.log")).exists();

        // Make some chain history (internal callers may use anvil_), restart, and find it still there.
        String internal = internalTokenFor(tenant);
        mvc.perform(post("/internal/nodes/" + id + "/rpc").header(Identity.HEADER, internal)
                .contentType(MediaType.APPLICATION_JSON).content(call("anvil_mine", "[\"0x5\"]")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.error").doesNotExist());
        mvc.perform(post("/v1/nodes/" + id + "/restart").header(Identity.HEADER, token))
                .andExpect(status().isAccepted()).andExpect(jsonPath("$.status").value("PROVISIONING"));
        awaitStatus(token, id, "RUNNING", Duration.ofSeconds(30));
        assertThat(pidOf(id)).as("a new process after the restart").isNotEqualTo(pid);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        String head = rpc(token, id, call("eth_blockNumber", "[]"));
        assertThat(Long.decode(json.readTree(head).path("result").asString())).isGreaterThanOrEqualTo(5);

        mvc.perform(get("/internal/nodes/" + id).header(Identity.HEADER, internal))
                .andExpect(status().isOk()).andExpect(jsonPath("$.tenantId").value(tenant.toString()))
                .andExpect(jsonPath("$.chainId").value(chainId)).andExpect(jsonPath("$.status").value("RUNNING"));

        long runningPid = pidOf(id);
        mvc.perform(delete("/v1/nodes/" + id).header(Identity.HEADER, token))
                .andExpect(status().isAccepted()).andExpect(jsonPath("$.status").value("DELETING"));
        awaitStatus(token, id, "DELETED", Duration.ofSeconds(30));
        assertThat(ProcessHandle.of(runningPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(dataDir(id)).doesNotExist();
        // The proxy keeps a node's route for a second.
        await("the proxy refusing the deleted node").atMost(Duration.ofSeconds(3))
                .until(() -> rpcStatus(token, id), answer -> answer == 409);
        mvc.perform(post("/v1/nodes/" + id + "/rpc").header(Identity.HEADER, token)
                .contentType(MediaType.APPLICATION_JSON).content(call("eth_chainId", "[]")))
                .andExpect(status().isConflict()).andExpect(jsonPath("$.code").value("node_not_running"));

        // The outbox relays the events shortly after their commits.
        List<String> types = await("node.deleted on " + Streams.CHAIN).atMost(Duration.ofSeconds(10))
                .until(() -> eventTypesOf(UUID.fromString(id)), t -> t.contains("node.deleted"));
        assertThat(types).containsSubsequence("node.provisioning", "node.running", "node.provisioning",
                "node.running", "node.deleting", "node.deleted");
    }

    @Test
    void aNodeWhoseProcessDiesIsStartedAgainOnTheSamePortWithItsData() throws Exception {
        UUID tenant = UUID.randomUUID();
        String token = tokenFor(tenant);
        String id = createNode(token, "{\"name\":\"crashy\",\"network\":\"anvil\"}").path("id").asString();
        awaitStatus(token, id, "RUNNING", Duration.ofSeconds(30));
        mvc.perform(post("/internal/nodes/" + id + "/rpc").header(Identity.HEADER, internalTokenFor(tenant))
                .contentType(MediaType.APPLICATION_JSON).content(call("anvil_mine", "[\"0x3\"]")))
                .andExpect(status().isOk());
        // A kill -9 loses what anvil has not dumped yet (up to one state-interval): wait for the mined blocks' dump.
        await("the mined blocks in state.json").atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> json.readTree(Files.readString(dataDir(id).resolve("state.json")))
                        .path("best_block_number").asLong(), best -> best >= 3);
        long pid = pidOf(id);
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        await("a new anvil answering").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> pidOf(id) != pid
                        && json.readTree(rpc(token, id, call("eth_blockNumber", "[]"))).has("result"));
        assertThat(pidOf(id)).isNotEqualTo(pid);
        assertThat(getNode(token, id).path("status").asString()).isEqualTo("RUNNING");
        String head = rpc(token, id, call("eth_blockNumber", "[]"));
        assertThat(Long.decode(json.readTree(head).path("result").asString())).isGreaterThanOrEqualTo(3);
        mvc.perform(delete("/v1/nodes/" + id).header(Identity.HEADER, token)).andExpect(status().isAccepted());
        awaitStatus(token, id, "DELETED", Duration.ofSeconds(30));
    }

    @Test
    void thePlansNodeQuotaIsEnforcedWithAClearProblem() throws Exception {
        UUID tenant = UUID.randomUUID();
        allowNodes(tenant, 1);
        String token = tokenFor(tenant);
        String upstream = sharedAnvil().url();
        String first = createNode(token, "{\"name\":\"one\",\"network\":\"custom-evm\",\"upstreams\":[\"" + upstream
                + "\"]}").path("id").asString();
        mvc.perform(post("/v1/nodes").header(Identity.HEADER, token).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"two\",\"network\":\"custom-evm\",\"upstreams\":[\"" + upstream + "\"]}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.code").value("node_quota_exceeded"))
                .andExpect(jsonPath("$.limit").value(1))
                .andExpect(jsonPath("$.current").value(1));
        // A deleted node no longer counts.
        mvc.perform(delete("/v1/nodes/" + first).header(Identity.HEADER, token)).andExpect(status().isAccepted());
        mvc.perform(post("/v1/nodes").header(Identity.HEADER, token).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"two\",\"network\":\"custom-evm\",\"upstreams\":[\"" + upstream + "\"]}"))
                .andExpect(status().isAccepted());
    }

    @Test
    void anotherTenantCannotSeeOrUseTheNode() throws Exception {
        UUID owner = UUID.randomUUID();
        String token = tokenFor(owner);
        String id = createNode(token, "{\"name\":\"mine\",\"network\":\"custom-evm\",\"upstreams\":[\""
                + sharedAnvil().url() + "\"]}").path("id").asString();
        awaitStatus(token, id, "RUNNING", Duration.ofSeconds(15));
        String other = tokenFor(UUID.randomUUID());
        mvc.perform(get("/v1/nodes/" + id).header(Identity.HEADER, other))
                .andExpect(status().isNotFound()).andExpect(jsonPath("$.code").value("not_found"));
        mvc.perform(post("/v1/nodes/" + id + "/rpc").header(Identity.HEADER, other)
                .contentType(MediaType.APPLICATION_JSON).content(call("eth_chainId", "[]")))
                .andExpect(status().isNotFound());
        mvc.perform(delete("/v1/nodes/" + id).header(Identity.HEADER, other)).andExpect(status().isNotFound());
        mvc.perform(post("/v1/nodes/" + id + "/restart").header(Identity.HEADER, other))
                .andExpect(status().isNotFound());
        mvc.perform(get("/v1/nodes").header(Identity.HEADER, other))
                .andExpect(status().isOk()).andExpect(jsonPath("$.items.length()").value(0));
        mvc.perform(get("/v1/nodes").header(Identity.HEADER, token))
                .andExpect(status().isOk()).andExpect(jsonPath("$.items[0].id").value(id));
    }

    @Test
    void badNodeRequestsNameTheField() throws Exception {
        String token = tokenFor(UUID.randomUUID());
        mvc.perform(post("/v1/nodes").header(Identity.HEADER, token).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"x\",\"network\":\"mainnet-please\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("unknown_network"))
                .andExpect(jsonPath("$.field").value("network"));
        mvc.perform(post("/v1/nodes").header(Identity.HEADER, token).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"x\",\"network\":\"custom-evm\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("upstreams_required"));
        mvc.perform(post("/v1/nodes").header(Identity.HEADER, token).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"x\",\"network\":\"custom-evm\",\"upstreams\":[\"ftp://x\"]}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("invalid_upstream"));
        mvc.perform(post("/v1/nodes").header(Identity.HEADER, token).contentType(MediaType.APPLICATION_JSON)
                .content("{\"network\":\"anvil\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.code").value("validation_failed"));
        mvc.perform(get("/v1/networks").header(Identity.HEADER, token))
                .andExpect(status().isOk()).andExpect(jsonPath("$.networks[0].id").value("anvil"));
    }

    @Test
    void anExternalNodeWhoseUpstreamsNeverAnswerFails() throws Exception {
        UUID tenant = UUID.randomUUID();
        String token = tokenFor(tenant);
        String id = createNode(token, "{\"name\":\"dead\",\"network\":\"custom-evm\",\"upstreams\":"
                + "[\"http://127.0.0.1:1\"]}").path("id").asString();
        JsonNode failed = awaitStatus(token, id, "FAILED", Duration.ofSeconds(20));
        assertThat(failed.path("statusReason").asString()).contains("no upstream answered");
    }
}
