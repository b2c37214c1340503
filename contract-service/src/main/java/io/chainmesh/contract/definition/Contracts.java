package io.chainmesh.contract.definition;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.springframework.stereotype.Service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import io.chainmesh.common.pagination.Page;
import io.chainmesh.common.pagination.PageCursor;
import io.chainmesh.common.problem.ApiException;
import io.chainmesh.contract.ContractErrors;
import io.chainmesh.contract.connector.ChainConnectors;
import io.chainmesh.contract.connector.ContractInterface;
import io.chainmesh.contract.connector.InvalidInterfaceException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Registered contract definitions of a tenant. Definitions are immutable and never deleted, so parsed interfaces are
 * cached by id with their owner, and {@link #contractInterface} answers a send without reading the definition again.
 * The interface document is parsed by the chain connector that accepts it.
 */
@Service
public class Contracts {

    /** Parsed interfaces kept; a large ABI parses to tens of kilobytes. */
    private static final int MAX_PARSED = 1_000;
    /** Unused this long, a parsed interface is dropped (it is parsed again from the stored document when needed). */
    private static final Duration PARSED_IDLE = Duration.ofHours(1);

    private final ContractRepository repository;
    private final ChainConnectors connectors;
    private final JsonMapper json;
    private final Cache<UUID, Parsed> parsed;

    private record Parsed(UUID tenantId, ContractInterface contractInterface) {
    }

    Contracts(ContractRepository repository, ChainConnectors connectors, JsonMapper json, Ticker ticker) {
        this.repository = repository;
        this.connectors = connectors;
        this.json = json;
        this.parsed = Caffeine.newBuilder().ticker(ticker).expireAfterAccess(PARSED_IDLE).maximumSize(MAX_PARSED).build();
    }

    ContractDtos.ContractView register(UUID tenantId, ContractDtos.RegisterContractRequest request) {
        JsonNode abiNode;
        String bytecode;
        String format;
        String name = request.name();
        if (request.artifact() != null && !request.artifact().isNull()) {
            if (request.abi() != null || request.bytecode() != null) {
                throw ContractErrors.AMBIGUOUS_CONTRACT.exception("Give either 'artifact' or 'abi' (+ 'bytecode'), not both")
                        .with("field", "artifact");
            }
            JsonNode artifact = request.artifact();
            if (!artifact.isObject()) {
                throw invalid("artifact", "must be a Hardhat or Foundry artifact JSON object");
            }
            abiNode = artifact.get("abi");
            if (abiNode == null) {
                throw invalid("artifact.abi", "is missing: a Hardhat or Foundry artifact has an 'abi' array");
            }
            JsonNode code = artifact.path("bytecode");
            if (code.isString()) {
                format = "hardhat";
                bytecode = code.stringValue();
            } else if (code.isObject() && code.path("object").isString()) {
                format = "foundry";
                bytecode = code.path("object").stringValue();
            } else if (code.isMissingNode() || code.isNull()) {
                format = "artifact";
                bytecode = null;
            } else {
                throw invalid("artifact.bytecode", "must be a hex string (Hardhat) or an object with 'object' (Foundry)");
            }
            if (name == null && artifact.path("contractName").isString()) {
                name = artifact.path("contractName").stringValue();
            }
            bytecode = bytecode(bytecode, "artifact.bytecode");
        } else {
            if (request.abi() == null || request.abi().isNull()) {
                throw invalid("abi", "is required (or give 'artifact')");
            }
            abiNode = request.abi();
            format = "abi";
            bytecode = bytecode(request.bytecode(), "bytecode");
        }
        if (name == null || name.isBlank()) {
            throw invalid("name", "is required (it can come from a Hardhat artifact's contractName)");
        }
        ContractInterface parsedInterface;
        try {
            parsedInterface = connectors.parseInterface(abiNode);
        } catch (InvalidInterfaceException e) {
            String field = request.artifact() != null ? "artifact." + e.getMessage() : e.getMessage();
            throw ContractErrors.INVALID_ABI.exception("The ABI is invalid: " + field)
                    .with("field", field.substring(0, Math.max(field.indexOf(':'), 0)));
        }
        ContractDefinition definition = new ContractDefinition(UUID.randomUUID(), tenantId, name.strip(),
                json.writeValueAsString(abiNode), parsedInterface, bytecode, format, Instant.now().truncatedTo(ChronoUnit.MICROS));
        repository.insert(definition);
        parsed.put(definition.id(), new Parsed(tenantId, parsedInterface));
        return view(definition);
    }

    private static String bytecode(String bytecode, String field) {
        if (bytecode == null || bytecode.isBlank() || bytecode.equals("0x")) {
            return null;
        }
        String code = bytecode.strip();
        if (code.contains("__$") || code.contains("__")) {
            throw ContractErrors.UNLINKED_BYTECODE.exception(field + " has unlinked library placeholders; link the libraries first")
                    .with("field", field);
        }
        if (!code.matches("(0x)?([0-9a-fA-F]{2})+")) {
            throw invalid(field, "must be hex with whole bytes");
        }
        return code.startsWith("0x") ? code.toLowerCase() : "0x" + code.toLowerCase();
    }

    private static ApiException invalid(String field, String message) {
        return ContractErrors.INVALID_CONTRACT.exception(field + " " + message).with("field", field);
    }

    /** The tenant's contract with its parsed interface, or 404 naming the field. */
    public ContractDefinition require(UUID tenantId, UUID id, String field) {
        ContractRepository.Row row = repository.find(tenantId, id)
                .orElseThrow(() -> ContractErrors.notFound("Contract", id).with("field", field));
        return toDefinition(row);
    }

    /** The parsed interface of the tenant's contract, or 404 naming the field. */
    public ContractInterface contractInterface(UUID tenantId, UUID id, String field) {
        Parsed known = parsed.getIfPresent(id);
        if (known != null && known.tenantId().equals(tenantId)) {
            return known.contractInterface();
        }
        return require(tenantId, id, field).contractInterface();
    }

    private ContractDefinition toDefinition(ContractRepository.Row row) {
        ContractInterface contractInterface = parsed.get(row.id(),
                k -> new Parsed(row.tenantId(), connectors.parseInterface(json.readTree(row.abi())))).contractInterface();
        return new ContractDefinition(row.id(), row.tenantId(), row.name(), row.abi(), contractInterface, row.bytecode(),
                row.format(), row.createdAt().toInstant());
    }

    ContractDtos.ContractView get(UUID tenantId, UUID id) {
        return view(require(tenantId, id, "id"));
    }

    Page<ContractDtos.ContractView> list(UUID tenantId, PageCursor after, int limit) {
        return Page.of(repository.page(tenantId, after, limit), limit,
                r -> new PageCursor(r.createdAt().toInstant(), r.id()), r -> view(toDefinition(r)));
    }

    ContractDtos.ContractView view(ContractDefinition c) {
        ContractInterface i = c.contractInterface();
        return new ContractDtos.ContractView(c.id(), c.name(), c.format(), c.bytecode() != null, i.functionSignatures(),
                i.eventSignatures(), i.errorSignatures(), json.readTree(c.interfaceJson()), c.createdAt());
    }
}
