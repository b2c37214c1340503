package io.chainmesh.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** Registering ABIs and Hardhat/Foundry artifacts, and the 400s for broken ones. */
class ContractRegistrationIntegrationTest extends ContractServiceTestBase {

    @Test
    void hardhatAndFoundryArtifactsAreAcceptedAsIs() {
        String token = tokenFor(UUID.randomUUID());
        JsonNode hardhat = expect(201, post("/v1/contracts"), token, "{\"artifact\":" + artifact("ChainmeshToken.hardhat.json") + "}");
        assertThat(hardhat.get("name").asString()).isEqualTo("ChainmeshToken");
        assertThat(hardhat.get("format").asString()).isEqualTo("hardhat");
        assertThat(hardhat.get("deployable").asBoolean()).isTrue();
        assertThat(hardhat.get("functions").toString()).contains("transfer(address,uint256)");
        assertThat(hardhat.get("errors").toString()).contains("InsufficientBalance(address,uint256,uint256)");

        JsonNode foundry = expect(201, post("/v1/contracts"), token,
                "{\"name\":\"Showcase\",\"artifact\":" + artifact("TypeShowcase.foundry.json") + "}");
        assertThat(foundry.get("format").asString()).isEqualTo("foundry");
        assertThat(foundry.get("functions").toString())
                .contains("echoOrder((address,(uint64,string,bytes32)[],uint256[3],bool))", "store(uint256,string,bytes)");
        assertThat(foundry.get("events").toString()).contains("OrderPlaced(uint256,address,(uint64,string,bytes32)[])");
        assertThat(getJson("/v1/contracts", token).get("items")).hasSize(2);
    }

    @Test
    void aBrokenAbiIs400NamingTheEntryAndField() {
        String token = tokenFor(UUID.randomUUID());
        assertInvalid(token, "{\"name\":\"x\",\"abi\":{\"not\":\"an array\"}}", "invalid_abi", "must be a JSON array");
        assertInvalid(token, "{\"name\":\"x\",\"abi\":[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"a\",\"type\":\"uint7\"}]}]}",
                "invalid_abi", "abi[0].inputs[0].type: unknown type 'uint7'");
        assertInvalid(token, "{\"name\":\"x\",\"abi\":[{\"type\":\"event\",\"inputs\":[]}]}", "invalid_abi", "abi[0].name: is required");
        assertInvalid(token, "{\"name\":\"x\",\"abi\":[{\"type\":\"function\",\"name\":\"f\",\"inputs\":[{\"name\":\"s\",\"type\":\"tuple\"}]}]}",
                "invalid_abi", "abi[0].inputs[0].components: a tuple needs a components array");
        assertInvalid(token, "{\"name\":\"x\",\"abi\":[],\"bytecode\":\"0xzz\"}", "invalid_contract", "bytecode must be hex");
        assertInvalid(token, "{\"artifact\":{\"bytecode\":\"0x00\"}}", "invalid_contract", "artifact.abi is missing");
        assertInvalid(token, "{\"abi\":[]}", "invalid_contract", "name is required");
    }

    private void assertInvalid(String token, String body, String code, String detail) {
        JsonNode problem = expect(400, post("/v1/contracts"), token, body);
        assertThat(problem.get("code").asString()).isEqualTo(code);
        assertThat(problem.get("detail").asString()).contains(detail);
    }
}
