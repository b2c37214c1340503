package io.chainmesh.contract.subscription;

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

import io.chainmesh.common.events.ContractEventLogged;
import io.chainmesh.common.events.Outbox;
import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.connector.ChainConnector;
import io.chainmesh.contract.connector.ChainConnectors;
import io.chainmesh.contract.connector.ChainEvent;
import io.chainmesh.contract.connector.ContractInterface;
import io.chainmesh.contract.connector.EventFilter;
import io.chainmesh.contract.definition.Contracts;
import io.chainmesh.contract.instance.Instances;
import io.chainmesh.contract.node.ChainNode;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

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
    private static final TypeReference<LinkedHashMap<String, Object>> ARGS = new TypeReference<>() {
    };

    private final SubscriptionRepository repository;
    private final Instances instances;
    private final Contracts contracts;
    private final ChainConnectors connectors;
    private final Outbox outbox;
    private final TransactionTemplate tx;
    private final JsonMapper json;
    private final ContractProperties.Subscriptions settings;
    private ScheduledExecutorService executor;

    ContractEventListener(SubscriptionRepository repository, Instances instances, Contracts contracts,
            ChainConnectors connectors, Outbox outbox, TransactionTemplate tx, JsonMapper json, ContractProperties properties) {
        this.repository = repository;
        this.instances = instances;
        this.contracts = contracts;
        this.connectors = connectors;
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
        ChainConnectors.Connected connected = connectors.forNode(s.tenantId(), s.nodeId());
        ChainConnector chain = connected.connector();
        ChainNode node = connected.node();
        long head = chain.head(node);
        if (s.checkpointHash() != null) {
            String checkpoint = chain.blockHash(node, s.nextBlock() - 1);
            if (checkpoint == null || !s.checkpointHash().equalsIgnoreCase(checkpoint)) {
                correctReorg(s, chain, node);
                return;
            }
        }
        long target = head - s.confirmations() + 1;
        if (target < s.nextBlock()) {
            return;
        }
        long to = Math.min(target, s.nextBlock() + settings.maxBlockRange() - 1);
        List<ChainEvent> events = chain.events(node, contractOf(s), new EventFilter(s.eventSignature(), s.topics()),
                s.address(), s.nextBlock(), to);
        String toBlockHash = chain.blockHash(node, to);
        if (toBlockHash == null) {
            return;
        }
        for (ChainEvent event : events) {
            deliver(s, event);
        }
        repository.checkpoint(s.id(), to + 1, toBlockHash);
    }

    private void correctReorg(Subscription s, ChainConnector chain, ChainNode node) {
        long windowStart = Math.max(s.fromBlock(), s.nextBlock() - settings.reorgWindow());
        Map<Long, String> canonical = new TreeMap<>();
        int corrected = 0;
        for (SubscriptionRepository.StoredEvent e : repository.deliveredSince(s.id(), windowStart)) {
            String hash = canonical.computeIfAbsent(e.blockNumber(), n -> {
                String blockHash = chain.blockHash(node, n);
                return blockHash == null ? "" : blockHash;
            });
            if (!hash.equalsIgnoreCase(e.blockHash())) {
                ContractEventLogged delivered = json.readValue(e.payload(), ContractEventLogged.class);
                ContractEventLogged removed = new ContractEventLogged(delivered.subscriptionId(), delivered.instanceId(),
                        delivered.address(), delivered.event(), delivered.signature(), delivered.args(),
                        delivered.blockNumber(), delivered.blockHash(), delivered.transactionHash(), delivered.logIndex(),
                        true);
                store(s, removed);
                repository.markCorrected(e.seq());
                corrected++;
            }
        }
        log.info("Reorg below block {} on node {}: {} delivered {} events corrected with removed=true; re-reading from {}",
                s.nextBlock(), s.nodeId(), corrected, s.eventSignature(), windowStart);
        repository.checkpoint(s.id(), windowStart, null);
    }

    private void deliver(Subscription s, ChainEvent event) {
        store(s, new ContractEventLogged(s.id(), s.instanceId(), s.address(), event.event(), s.eventSignature(),
                json.convertValue(event.args(), ARGS), event.blockNumber(), event.blockHash(), event.transactionHash(),
                event.logIndex(), false));
    }

    /**
     * Stores the event (its JSON is what {@code GET /v1/subscriptions/{id}/events} shows) and, unless it was stored
     * already by an earlier read of the same range, puts it in the outbox.
     */
    private void store(Subscription s, ContractEventLogged event) {
        if (repository.insertEvent(UUID.randomUUID(), s, event.blockNumber(), event.blockHash(), event.transactionHash(),
                event.logIndex(), event.removed(), json.writeValueAsString(event))) {
            outbox.append(s.tenantId(), event);
        }
    }

    private ContractInterface contractOf(Subscription s) {
        return contracts.require(s.tenantId(), instances.require(s.tenantId(), s.instanceId()).contractId(), "contractId")
                .contractInterface();
    }
}
