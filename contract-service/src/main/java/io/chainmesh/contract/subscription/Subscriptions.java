package io.chainmesh.contract.subscription;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import io.chainmesh.common.events.ContractEventLogged;
import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import io.chainmesh.contract.ContractErrors;
import io.chainmesh.contract.connector.ChainConnector;
import io.chainmesh.contract.connector.ChainConnectors;
import io.chainmesh.contract.connector.EventFilter;
import io.chainmesh.contract.definition.ContractDefinition;
import io.chainmesh.contract.definition.Contracts;
import io.chainmesh.contract.instance.Instance;
import io.chainmesh.contract.instance.Instances;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@Service
class Subscriptions {

    private final SubscriptionRepository repository;
    private final Instances instances;
    private final Contracts contracts;
    private final ChainConnectors connectors;
    private final JsonMapper json;

    Subscriptions(SubscriptionRepository repository, Instances instances, Contracts contracts, ChainConnectors connectors,
            JsonMapper json) {
        this.repository = repository;
        this.instances = instances;
        this.contracts = contracts;
        this.connectors = connectors;
        this.json = json;
    }

    SubscriptionDtos.SubscriptionView create(UUID tenantId, SubscriptionDtos.CreateSubscriptionRequest request) {
        Instance instance = instances.require(tenantId, request.instanceId());
        ContractDefinition contract = contracts.require(tenantId, instance.contractId(), "contractId");
        ChainConnector chain = connectors.forInterface(contract.contractInterface());
        EventFilter filter = chain.eventFilter(contract.contractInterface(), request.event(), request.filters());
        long head = chain.head(connectors.node(tenantId, instance.nodeId(), chain));
        long fromBlock = fromBlock(request.fromBlock(), head);
        Subscription s = new Subscription(UUID.randomUUID(), tenantId, instance.id(), instance.nodeId(), instance.address(),
                filter.signature(), filter.filter(),
                request.filters() == null || request.filters().isNull() ? null : json.writeValueAsString(request.filters()),
                request.confirmations() == null ? 1 : request.confirmations(), fromBlock, fromBlock, null, "ACTIVE", null,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        repository.insert(s);
        return view(s);
    }

    private static long fromBlock(JsonNode from, long head) {
        if (from == null || from.isNull() || (from.isString() && from.stringValue().equals("latest"))) {
            return head;
        }
        if (from.isString() && from.stringValue().equals("earliest")) {
            return 0;
        }
        if (from.isIntegralNumber() && from.asLong() >= 0) {
            return from.asLong();
        }
        if (from.isString() && from.stringValue().matches("\\d{1,18}")) {
            return Long.parseLong(from.stringValue());
        }
        throw ContractErrors.INVALID_FROM_BLOCK.exception("fromBlock must be a block number, 'earliest' or 'latest'")
                .with("field", "fromBlock");
    }

    SubscriptionDtos.SubscriptionView get(UUID tenantId, UUID id) {
        return view(require(tenantId, id));
    }

    private Subscription require(UUID tenantId, UUID id) {
        return repository.find(tenantId, id).orElseThrow(() -> ContractErrors.notFound("Subscription", id));
    }

    void delete(UUID tenantId, UUID id) {
        if (!repository.delete(tenantId, id)) {
            throw ContractErrors.notFound("Subscription", id);
        }
    }

    Page<SubscriptionDtos.SubscriptionView> list(UUID tenantId, PageCursor after, int limit) {
        return Page.of(repository.page(tenantId, after, limit), limit, s -> new PageCursor(s.createdAt(), s.id()), this::view);
    }

    Page<SubscriptionDtos.ContractEventView> events(UUID tenantId, UUID id, String cursor, int limit) {
        require(tenantId, id);
        long after;
        try {
            after = cursor == null || cursor.isBlank() ? 0 : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw ContractErrors.INVALID_CURSOR.exception("Parameter 'cursor' is not a cursor returned by this list")
                    .with("parameter", "cursor");
        }
        List<SubscriptionRepository.StoredEvent> rows = repository.events(tenantId, id, after, limit);
        boolean more = rows.size() > limit;
        List<SubscriptionRepository.StoredEvent> page = more ? rows.subList(0, limit) : rows;
        return new Page<>(page.stream().map(this::eventView).toList(), more ? String.valueOf(page.getLast().seq()) : null);
    }

    private SubscriptionDtos.ContractEventView eventView(SubscriptionRepository.StoredEvent e) {
        ContractEventLogged event = json.readValue(e.payload(), ContractEventLogged.class);
        return new SubscriptionDtos.ContractEventView(e.id(), e.subscriptionId(), event.instanceId(), event.address(),
                event.event(), event.signature(), json.valueToTree(event.args()), e.blockNumber(), e.blockHash(),
                e.transactionHash(), e.logIndex(), e.removed(), e.createdAt());
    }

    private SubscriptionDtos.SubscriptionView view(Subscription s) {
        return new SubscriptionDtos.SubscriptionView(s.id(), s.instanceId(), s.nodeId(), s.address(), s.eventSignature(),
                s.filters() == null ? null : json.readTree(s.filters()), s.fromBlock(), s.confirmations(), s.nextBlock(),
                s.status(), s.lastError(), s.createdAt());
    }

}
