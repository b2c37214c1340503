package io.chainmesh.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.chainmesh.contract.subscription.ContractEventListener;
import tools.jackson.databind.JsonNode;

/** The listener checkpoints, survives a stop/start without missing or duplicating, filters, and corrects reorgs. */
class ContractEventListenerIntegrationTest extends ContractServiceTestBase {

    private static final String DEAD = "0x000000000000000000000000000000000000dEaD";
    private static final String BEEF = "0x000000000000000000000000000000000000bEEF";

    @Autowired
    ContractEventListener listener;

    @Test
    void eventsEmittedWhileTheListenerIsDownAreDeliveredOnceAfterItRestarts() {
        Tenant t = newTenant();
        String instanceId = deploy(t, registerArtifact(t, "ChainmeshToken.hardhat.json"), "[\"T\", \"T\", 1000]");
        String sub = expect(201, post("/v1/subscriptions"), t.token(),
                "{\"instanceId\":\"" + instanceId + "\",\"event\":\"Transfer\",\"filters\":{\"to\":\"" + DEAD + "\"}}").get("id").asString();
        sendConfirmed(t, instanceId, "transfer", "[\"" + DEAD + "\", 1]");
        await("/v1/subscriptions/" + sub + "/events", t.token(), Duration.ofSeconds(10), e -> e.get("items").size() == 1);

        listener.stop();
        try {
            sendConfirmed(t, instanceId, "transfer", "[\"" + DEAD + "\", 2]");
            sendConfirmed(t, instanceId, "transfer", "[\"" + BEEF + "\", 5]"); // filtered out by 'to'
            sendConfirmed(t, instanceId, "transfer", "[\"" + DEAD + "\", 3]");
        } finally {
            listener.start();
        }
        JsonNode events = await("/v1/subscriptions/" + sub + "/events", t.token(), Duration.ofSeconds(10), e -> e.get("items").size() >= 3);
        TestChain.shared().mine(2);
        // a few more rounds must not deliver anything twice
        try {
            Thread.sleep(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        events = getJson("/v1/subscriptions/" + sub + "/events", t.token());
        assertThat(events.get("items")).hasSize(3);
        Set<String> values = new HashSet<>();
        events.get("items").forEach(e -> values.add(e.get("args").get("value").asString()));
        assertThat(values).containsExactlyInAnyOrder("1", "2", "3");
        events.get("items").forEach(e -> assertThat(e.get("args").get("to").asString()).isEqualTo(DEAD));
    }

    @Test
    void aReorgedEventIsCorrectedWithRemovedTrue() {
        Tenant t = newTenant();
        String instanceId = deploy(t, registerArtifact(t, "ChainmeshToken.hardhat.json"), "[\"T\", \"T\", 1000]");
        String sub = expect(201, post("/v1/subscriptions"), t.token(),
                "{\"instanceId\":\"" + instanceId + "\",\"event\":\"Transfer\",\"filters\":{\"to\":[\"" + BEEF + "\"]}}")
                .get("id").asString();
        String snapshot = TestChain.shared().rpc("evm_snapshot").asString();
        sendConfirmed(t, instanceId, "transfer", "[\"" + BEEF + "\", 7]");
        JsonNode delivered = await("/v1/subscriptions/" + sub + "/events", t.token(), Duration.ofSeconds(10),
                e -> e.get("items").size() == 1).get("items").get(0);

        TestChain.shared().rpc("evm_revert", snapshot);
        TestChain.shared().mine(3); // a different chain, longer than the one that held the event
        JsonNode events = await("/v1/subscriptions/" + sub + "/events", t.token(), Duration.ofSeconds(10),
                e -> e.get("items").size() == 2);
        JsonNode correction = events.get("items").get(1);
        assertThat(correction.get("removed").asBoolean()).isTrue();
        assertThat(correction.get("transactionHash").asString()).isEqualTo(delivered.get("transactionHash").asString());
        assertThat(correction.get("blockHash").asString()).isEqualTo(delivered.get("blockHash").asString());
        assertThat(correction.get("args").get("value").asString()).isEqualTo("7");
    }
}
