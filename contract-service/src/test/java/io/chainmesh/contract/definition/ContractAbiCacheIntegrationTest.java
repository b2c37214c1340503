package io.chainmesh.contract.definition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.chainmesh.common.problem.ApiException;
import io.chainmesh.contract.ContractServiceTestBase;

/** The ABI a send reads from memory is still the tenant's own: another tenant asking for it gets a 404. */
class ContractAbiCacheIntegrationTest extends ContractServiceTestBase {

    @Autowired
    Contracts contracts;

    @Test
    void aCachedAbiIsServedOnlyToTheTenantThatRegisteredIt() {
        UUID owner = UUID.randomUUID();
        UUID id = UUID.fromString(expect(201, post("/v1/contracts"), tokenFor(owner),
                "{\"artifact\":" + artifact("ChainmeshToken.hardhat.json") + "}").get("id").asString());

        assertThat(contracts.contractInterface(owner, id, "contractId").functionSignature("transfer")).isEqualTo("transfer(address,uint256)");
        assertThat(contracts.contractInterface(owner, id, "contractId")).isSameAs(contracts.contractInterface(owner, id, "contractId"));
        assertThatThrownBy(() -> contracts.contractInterface(UUID.randomUUID(), id, "contractId"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).contains(id.toString()));
    }
}
