package io.chainmesh.contract.subscription;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.web3j.utils.Numeric;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.contract.abi.AbiArgumentException;
import io.chainmesh.contract.abi.AbiCodec;
import io.chainmesh.contract.abi.AbiEvent;
import io.chainmesh.contract.abi.AbiParameter;
import io.chainmesh.contract.chain.EthereumRpc;
import io.chainmesh.contract.definition.ContractDefinition;
import io.chainmesh.contract.definition.Contracts;
import io.chainmesh.contract.instance.Instance;
import io.chainmesh.contract.instance.Instances;
import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;

@Service
class Subscriptions {

    private final SubscriptionRepository repository;
    private final Instances instances;
    private final Contracts contracts;
    private final EthereumRpc rpc;
    private final JsonMapper json;

    Subscriptions(SubscriptionRepository repository, Instances instances, Contracts contracts, EthereumRpc rpc, JsonMapper json) {
        this.repository = repository;
        this.instances = instances;
        this.contracts = contracts;
        this.rpc = rpc;
        this.json = json;
    }

    SubscriptionDtos.SubscriptionView create(UUID tenantId, SubscriptionDtos.CreateSubscriptionRequest request) {
        Instance instance = instances.require(tenantId, request.instanceId());
        ContractDefinition contract = contracts.require(tenantId, instance.contractId(), "contractId");
        AbiEvent event = contract.abi().event(request.event());
        if (event.anonymous()) {
            throw ApiException.badRequest("anonymous_event", "Anonymous events have no topic to subscribe by").with("field", "event");
        }
        ArrayNode topics = topics(event, request.filters());
        long head = rpc.blockNumber(tenantId, instance.nodeId());
        long fromBlock = fromBlock(request.fromBlock(), head);
        Subscription s = new Subscription(UUID.randomUUID(), tenantId, instance.id(), instance.nodeId(), instance.address(),
                event.signature(), json.writeValueAsString(topics),
                request.filters() == null || request.filters().isNull() ? null : json.writeValueAsString(request.filters()),
                request.confirmations() == null ? 1 : request.confirmations(), fromBlock, fromBlock, null, "ACTIVE", null,
                Instant.now().truncatedTo(ChronoUnit.MICROS));
        repository.insert(s);
        return view(s);
    }

    /** eth_getLogs topics: [topic0, then per indexed input null (any) or the allowed encoded values]. */
    private static ArrayNode topics(AbiEvent event, JsonNode filters) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ArrayNode topics = nodes.arrayNode();
        topics.add(event.topic0());
        List<AbiParameter> indexed = event.inputs().stream().filter(AbiParameter::indexed).toList();
        if (filters != null && !filters.isNull()) {
            if (!filters.isObject()) {
                throw ApiException.badRequest("invalid_filter", "filters must be an object of indexed argument values").with("field", "filters");
            }
            for (String name : filters.propertyNames()) {
                if (indexed.stream().noneMatch(p -> p.name().equals(name))) {
                    throw ApiException.badRequest("invalid_filter", "filters." + name + " is not an indexed argument of "
                            + event.signature() + "; indexed: " + indexed.stream().map(AbiParameter::name).toList())
                            .with("field", "filters." + name);
                }
            }
        }
        for (AbiParameter p : indexed) {
            JsonNode wanted = filters == null ? null : filters.get(p.name());
            if (wanted == null || wanted.isNull()) {
                topics.addNull();
                continue;
            }
            ArrayNode alternatives = nodes.arrayNode();
            List<JsonNode> values = new ArrayList<>();
            if (wanted.isArray()) {
                wanted.forEach(values::add);
            } else {
                values.add(wanted);
            }
            for (int i = 0; i < values.size(); i++) {
                String path = "filters." + p.name() + (wanted.isArray() ? "[" + i + "]" : "");
                try {
                    alternatives.add(Numeric.toHexString(AbiCodec.encodeTopic(p.type(), values.get(i), path)));
                } catch (AbiArgumentException e) {
                    throw ApiException.badRequest("invalid_filter", e.getMessage()).with("field", e.path());
                }
            }
            topics.add(alternatives);
        }
        // Trailing wildcards are dropped: some nodes reject [t0, null, null] where [t0] means the same.
        while (topics.size() > 1 && topics.get(topics.size() - 1).isNull()) {
            topics.remove(topics.size() - 1);
        }
        return topics;
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
        throw ApiException.badRequest("invalid_from_block", "fromBlock must be a block number, 'earliest' or 'latest'")
                .with("field", "fromBlock");
    }

    SubscriptionDtos.SubscriptionView get(UUID tenantId, UUID id) {
        return view(require(tenantId, id));
    }

    private Subscription require(UUID tenantId, UUID id) {
        return repository.find(tenantId, id).orElseThrow(() -> ApiException.notFound("Subscription", id));
    }

    void delete(UUID tenantId, UUID id) {
        if (!repository.delete(tenantId, id)) {
            throw ApiException.notFound("Subscription", id);
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
            throw ApiException.badRequest("invalid_cursor", "Parameter 'cursor' is not a cursor returned by this list")
                    .with("parameter", "cursor");
        }
        List<SubscriptionRepository.StoredEvent> rows = repository.events(tenantId, id, after, limit);
        boolean more = rows.size() > limit;
        List<SubscriptionRepository.StoredEvent> page = more ? rows.subList(0, limit) : rows;
        return new Page<>(page.stream().map(this::eventView).toList(), more ? String.valueOf(page.getLast().seq()) : null);
    }

    private SubscriptionDtos.ContractEventView eventView(SubscriptionRepository.StoredEvent e) {
        JsonNode p = json.readTree(e.payload());
        return new SubscriptionDtos.ContractEventView(e.id(), e.subscriptionId(), UUID.fromString(p.path("instanceId").asString()),
                p.path("address").asString(), p.path("event").asString(), p.path("signature").asString(), p.path("args"),
                e.blockNumber(), e.blockHash(), e.transactionHash(), e.logIndex(), e.removed(), e.createdAt());
    }

    private SubscriptionDtos.SubscriptionView view(Subscription s) {
        return new SubscriptionDtos.SubscriptionView(s.id(), s.instanceId(), s.nodeId(), s.address(), s.eventSignature(),
                s.filters() == null ? null : json.readTree(s.filters()), s.fromBlock(), s.confirmations(), s.nextBlock(),
                s.status(), s.lastError(), s.createdAt());
    }

}
