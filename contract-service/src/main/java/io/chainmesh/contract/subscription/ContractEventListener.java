package io.chainmesh.contract.subscription;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.web3j.utils.Numeric;

import io.chainmesh.common.events.EventEnvelope;
import io.chainmesh.common.events.Outbox;
import io.chainmesh.common.events.Streams;
import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.abi.AbiCodec;
import io.chainmesh.contract.abi.AbiEvent;
import io.chainmesh.contract.abi.AbiParameter;
import io.chainmesh.contract.abi.ContractAbi;
import io.chainmesh.contract.chain.EthereumRpc;
import io.chainmesh.contract.definition.Contracts;
import io.chainmesh.contract.instance.Instances;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delivers contract events to subscriptions exactly once, across restarts and reorganisations.
 *
 * <p>Each round, per subscription and under its row lock ({@code FOR UPDATE SKIP LOCKED}, so replicas share the work):
 * <ol>
 * <li>the hash of the checkpoint block ({@code next_block - 1}) is compared with the chain; if it changed, a reorg
 *     happened: every delivered event in the reorg window whose block is no longer canonical is published again with
 *     {@code removed=true}, and the checkpoint rewinds by the window so the new canonical blocks are read;</li>
 * <li>logs from {@code next_block} up to the block with enough confirmations are fetched, decoded, stored and put in
 *     the outbox, and the checkpoint moves, all in one database transaction. A crash before the commit re-reads
 *     the range; the unique index on (subscription, block hash, log index, removed) keeps re-reads from delivering
 *     an event twice.</li>
 * </ol>
 */
@Component
public class ContractEventListener implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ContractEventListener.class);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final SubscriptionRepository repository;
    private final Instances instances;
    private final Contracts contracts;
    private final EthereumRpc rpc;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final ContractProperties.Subscriptions settings;
    private ScheduledExecutorService executor;

    ContractEventListener(SubscriptionRepository repository, Instances instances, Contracts contracts, EthereumRpc rpc,
            Outbox outbox, TransactionTemplate tx, JsonMapper json, ContractProperties properties) {
        this.repository = repository;
        this.instances = instances;
        this.contracts = contracts;
        this.rpc = rpc;
        this.outbox = outbox;
        this.tx = tx;
        this.json = json;
        this.settings = properties.subscriptions();
    }

    @Override
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("contract-event-listener").daemon().factory());
        long interval = settings.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::pollAll, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }

    void pollAll() {
        try {
            for (UUID id : repository.activeIds()) {
                try {
                    tx.executeWithoutResult(status -> repository.lock(id).ifPresent(this::poll));
                } catch (RuntimeException e) {
                    log.info("Subscription {} round failed, will retry: {}", id, e.toString());
                    try {
                        repository.recordError(id, e.getMessage());
                    } catch (RuntimeException ignored) {
                        // the next round records it
                    }
                }
            }
        } catch (RuntimeException e) {
            log.warn("Contract event listener round failed: {}", e.toString());
        }
    }

    private void poll(Subscription s) {
        long head = rpc.blockNumber(s.tenantId(), s.nodeId());
        if (s.checkpointHash() != null) {
            JsonNode checkpoint = rpc.block(s.tenantId(), s.nodeId(), EthereumRpc.hex(s.nextBlock() - 1));
            if (checkpoint == null || !s.checkpointHash().equalsIgnoreCase(checkpoint.path("hash").asString())) {
                correctReorg(s);
                return;
            }
        }
        long target = head - s.confirmations() + 1;
        if (target < s.nextBlock()) {
            return;
        }
        long to = Math.min(target, s.nextBlock() + settings.maxBlockRange() - 1);
        ObjectNode filter = NODES.objectNode();
        filter.put("address", s.address());
        filter.set("topics", json.readTree(s.topics()));
        filter.put("fromBlock", EthereumRpc.hex(s.nextBlock()));
        filter.put("toBlock", EthereumRpc.hex(to));
        JsonNode logs = rpc.logs(s.tenantId(), s.nodeId(), filter);
        JsonNode toBlock = rpc.block(s.tenantId(), s.nodeId(), EthereumRpc.hex(to));
        if (toBlock == null) {
            return;
        }
        AbiEvent event = event(s);
        List<JsonNode> ordered = new ArrayList<>();
        logs.forEach(ordered::add);
        ordered.sort((a, b) -> {
            int byBlock = EthereumRpc.quantity(a.path("blockNumber")).compareTo(EthereumRpc.quantity(b.path("blockNumber")));
            return byBlock != 0 ? byBlock : EthereumRpc.quantity(a.path("logIndex")).compareTo(EthereumRpc.quantity(b.path("logIndex")));
        });
        for (JsonNode logEntry : ordered) {
            if (logEntry.path("removed").asBoolean(false)) {
                continue;
            }
            deliver(s, event, logEntry, false);
        }
        repository.checkpoint(s.id(), to + 1, toBlock.path("hash").asString());
    }

    private void correctReorg(Subscription s) {
        long windowStart = Math.max(s.fromBlock(), s.nextBlock() - settings.reorgWindow());
        Map<Long, String> canonical = new TreeMap<>();
        int corrected = 0;
        AbiEvent event = event(s);
        for (SubscriptionRepository.StoredEvent e : repository.deliveredSince(s.id(), windowStart)) {
            String hash = canonical.computeIfAbsent(e.blockNumber(), n -> {
                JsonNode block = rpc.block(s.tenantId(), s.nodeId(), EthereumRpc.hex(n));
                return block == null ? "" : block.path("hash").asString();
            });
            if (!hash.equalsIgnoreCase(e.blockHash())) {
                JsonNode original = json.readTree(e.payload());
                ObjectNode removed = ((ObjectNode) original).deepCopy();
                removed.put("removed", true);
                UUID id = UUID.randomUUID();
                if (repository.insertEvent(id, s, e.blockNumber(), e.blockHash(), e.transactionHash(), e.logIndex(), true,
                        json.writeValueAsString(removed))) {
                    outbox.append(Streams.CONTRACT_EVENTS, EventEnvelope.of("contract.event", s.tenantId(), toMap(removed)));
                }
                repository.markCorrected(e.seq());
                corrected++;
            }
        }
        log.info("Reorg below block {} on node {}: {} delivered {} events corrected with removed=true; re-reading from {}",
                s.nextBlock(), s.nodeId(), corrected, event.name(), windowStart);
        repository.checkpoint(s.id(), windowStart, null);
    }

    private void deliver(Subscription s, AbiEvent event, JsonNode logEntry, boolean removed) {
        List<String> topics = new ArrayList<>();
        logEntry.path("topics").forEach(t -> topics.add(t.asString()));
        byte[] data = Numeric.hexStringToByteArray(logEntry.path("data").asString("0x"));
        ObjectNode args = NODES.objectNode();
        List<AbiParameter> nonIndexed = event.inputs().stream().filter(p -> !p.indexed()).toList();
        ArrayNode values = AbiCodec.decodeToArray(nonIndexed, data);
        int topic = 1;
        int value = 0;
        for (int i = 0; i < event.inputs().size(); i++) {
            AbiParameter p = event.inputs().get(i);
            String name = p.name().isEmpty() ? String.valueOf(i) : p.name();
            if (p.indexed()) {
                args.set(name, AbiCodec.decodeTopic(p.type(), Numeric.hexStringToByteArray(topics.get(topic++))));
            } else {
                args.set(name, values.get(value++));
            }
        }
        long blockNumber = EthereumRpc.quantity(logEntry.path("blockNumber")).longValueExact();
        String blockHash = logEntry.path("blockHash").asString();
        String transactionHash = logEntry.path("transactionHash").asString();
        int logIndex = EthereumRpc.quantity(logEntry.path("logIndex")).intValueExact();
        ObjectNode payload = NODES.objectNode();
        payload.put("subscriptionId", s.id().toString());
        payload.put("instanceId", s.instanceId().toString());
        payload.put("address", s.address());
        payload.put("event", event.name());
        payload.put("signature", event.signature());
        payload.set("args", args);
        payload.put("blockNumber", blockNumber);
        payload.put("blockHash", blockHash);
        payload.put("transactionHash", transactionHash);
        payload.put("logIndex", logIndex);
        payload.put("removed", removed);
        if (repository.insertEvent(UUID.randomUUID(), s, blockNumber, blockHash, transactionHash, logIndex, removed,
                json.writeValueAsString(payload))) {
            outbox.append(Streams.CONTRACT_EVENTS, EventEnvelope.of("contract.event", s.tenantId(), toMap(payload)));
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> toMap(ObjectNode node) {
        return json.convertValue(node, LinkedHashMap.class);
    }

    private AbiEvent event(Subscription s) {
        ContractAbi abi = contracts.require(s.tenantId(), instances.require(s.tenantId(), s.instanceId()).contractId(), "contractId").abi();
        return abi.event(s.eventSignature());
    }
}
