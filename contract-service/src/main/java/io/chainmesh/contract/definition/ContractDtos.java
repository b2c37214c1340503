package io.chainmesh.contract.definition;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.validation.constraints.Size;
import tools.jackson.databind.JsonNode;

/** Request and response bodies of /v1/contracts. */
public final class ContractDtos {

    private ContractDtos() {
    }

    /**
     * Either {@code abi} (+ optional {@code bytecode}) or {@code artifact}: a Hardhat ({@code abi}, {@code bytecode})
     * or Foundry ({@code abi}, {@code bytecode.object}) artifact JSON exactly as the toolchain wrote it.
     */
    record RegisterContractRequest(@Size(max = 200) String name, JsonNode abi, String bytecode, JsonNode artifact) {
    }

    /** A contract as the API shows it. */
    public record ContractView(UUID id, String name, String format, boolean deployable, List<String> functions,
            List<String> events, List<String> errors, JsonNode abi, Instant createdAt) {
    }
}
