package io.chainmesh.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.chainmesh.common.events.ContractEventLogged;
import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.Streams;
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
        String path = "/v1/subscriptions/" + sub + "/events";
        await(path, t.token(), Duration.ofSeconds(10), e -> e.get("items").size() >= 3);
        TestChains.automining().mine(2);
        // the rounds of the next second (five at the tests' 200 ms) deliver nothing twice
        Awaitility.await("no second delivery").during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .pollInterval(POLL).until(() -> getJson(path, t.token()).get("items").size() == 3);
        JsonNode events = getJson(path, t.token());
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
        String snapshot = TestChains.automining().rpc("evm_snapshot").asString();
        sendConfirmed(t, instanceId, "transfer", "[\"" + BEEF + "\", 7]");
        JsonNode delivered = await("/v1/subscriptions/" + sub + "/events", t.token(), Duration.ofSeconds(10),
                e -> e.get("items").size() == 1).get("items").get(0);

        TestChains.automining().rpc("evm_revert", snapshot);
        TestChains.automining().mine(3); // a different chain, longer than the one that held the event
        JsonNode events = await("/v1/subscriptions/" + sub + "/events", t.token(), Duration.ofSeconds(10),
                e -> e.get("items").size() == 2);
        JsonNode correction = events.get("items").get(1);
        assertThat(correction.get("removed").asBoolean()).isTrue();
        assertThat(correction.get("transactionHash").asString()).isEqualTo(delivered.get("transactionHash").asString());
        assertThat(correction.get("blockHash").asString()).isEqualTo(delivered.get("blockHash").asString());
        assertThat(correction.get("args").get("value").asString()).isEqualTo("7");

        // On chainmesh.contract-events: the delivery, then its correction, each with every field of the wire format.
        List<EventEnvelope> published = Awaitility.await("contract events of " + sub).atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO).pollInterval(POLL).until(() -> published(Streams.CONTRACT_EVENTS, "\"subscriptionId\":\"" + sub + "\""),
                        envelopes -> envelopes.size() == 2);
        assertThat(published).extracting(EventEnvelope::type).containsExactly("contract.event", "contract.event");
        assertThat(published.getFirst().data()).containsOnlyKeys("subscriptionId", "instanceId", "address", "event",
                "signature", "args", "blockNumber", "blockHash", "transactionHash", "logIndex", "removed");
        ContractEventLogged event = published.getFirst().event(ContractEventLogged.class);
        ContractEventLogged removed = published.getLast().event(ContractEventLogged.class);
        assertThat(event.event()).isEqualTo("Transfer");
        assertThat(event.signature()).isEqualTo("Transfer(address,address,uint256)");
        assertThat(event.instanceId()).hasToString(instanceId);
        assertThat(event.args()).containsEntry("to", BEEF).containsEntry("value", "7");
        assertThat(event.removed()).isFalse();
        assertThat(removed).isEqualTo(new ContractEventLogged(event.subscriptionId(), event.instanceId(), event.address(),
                event.event(), event.signature(), event.args(), event.blockNumber(), event.blockHash(),
                event.transactionHash(), event.logIndex(), true));
    }
}
