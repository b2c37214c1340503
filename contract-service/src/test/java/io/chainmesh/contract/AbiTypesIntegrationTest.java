package io.chainmesh.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import tools.jackson.databind.JsonNode;

/**
 * Every Solidity type through a real contract (TypeShowcase, a Foundry artifact): plain JSON in, ABI-encoded, echoed
 * by the EVM, decoded back to the same JSON; overloads by signature; wrong arguments as 400s naming the argument;
 * every revert kind decoded.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AbiTypesIntegrationTest extends ContractServiceTestBase {

    private Tenant t;
    private String instanceId;

    @BeforeAll
    void deployShowcase() {
        t = newTenant();
        instanceId = deploy(t, registerArtifact(t, "TypeShowcase.foundry.json"), "[]");
    }

    @Test
    void integersOfEverySizeRoundTripWithWideOnesAsDecimalStrings() {
        JsonNode out = call(t, instanceId, "echoInts",
                "[255, \"115792089237316195423570985008687907853269984665640564039457584007913129639935\", -128,"
                        + " \"-57896044618658097711785492504343953926634992332820282019728792003956564819968\"]").get("outputs");
        assertThat(out.get("0").isNumber()).isTrue();
        assertThat(out.get("0").asInt()).isEqualTo(255);
        assertThat(out.get("1").asString()).isEqualTo("115792089237316195423570985008687907853269984665640564039457584007913129639935");
        assertThat(out.get("2").asInt()).isEqualTo(-128);
        assertThat(out.get("3").asString()).isEqualTo("-57896044618658097711785492504343953926634992332820282019728792003956564819968");
    }

    @Test
    void bytesFixedBytesArraysAndAddressesRoundTripWithChecksums() {
        JsonNode b = call(t, instanceId, "echoBytes", "[\"0xdeadbeef\", \"0x" + "11".repeat(32) + "\", \"0x0102030405\"]").get("outputs");
        assertThat(b.get("0").asString()).isEqualTo("0xdeadbeef");
        assertThat(b.get("1").asString()).isEqualTo("0x" + "11".repeat(32));
        assertThat(b.get("2").asString()).isEqualTo("0x0102030405");

        JsonNode a = call(t, instanceId, "echoArrays", "[[1, 2, 65535], [\"0x000000000000000000000000000000000000dead\","
                + " \"0x5B38Da6a701c568545dCfcB03FcB875f56beddC4\"], [\"a\", \"\", \"ünïcødé\"]]").get("outputs");
        assertThat(a.get("0").toString()).isEqualTo("[1,2,65535]");
        assertThat(a.get("1").get(0).asString()).isEqualTo("0x000000000000000000000000000000000000dEaD");
        assertThat(a.get("2").toString()).isEqualTo("[\"a\",\"\",\"ünïcødé\"]");

        JsonNode n = call(t, instanceId, "echoNested", "[[[1], [], [2, 3]], [[true, false], [false, true]]]").get("outputs");
        assertThat(n.get("0").toString()).isEqualTo("[[\"1\"],[],[\"2\",\"3\"]]");
        assertThat(n.get("1").toString()).isEqualTo("[[true,false],[false,true]]");
    }

    @Test
    void nestedStructsRoundTripByMemberName() {
        String order = "{\"buyer\":\"0x000000000000000000000000000000000000dEaD\",\"items\":[{\"id\":7,\"label\":\"seven\",\"tag\":\"0x"
                + "ab".repeat(32) + "\"},{\"id\":\"18446744073709551615\",\"label\":\"max\",\"tag\":\"0x" + "00".repeat(32)
                + "\"}],\"amounts\":[1,2,3],\"paid\":true}";
        JsonNode out = call(t, instanceId, "echoOrder", "{\"order\":" + order + "}").get("outputs");
        assertThat(out.get("itemCount").asString()).isEqualTo("2");
        JsonNode result = out.get("result");
        assertThat(result.get("buyer").asString()).isEqualTo("0x000000000000000000000000000000000000dEaD");
        assertThat(result.get("items").get(1).get("id").asString()).isEqualTo("18446744073709551615");
        assertThat(result.get("items").get(0).get("label").asString()).isEqualTo("seven");
        assertThat(result.get("amounts").toString()).isEqualTo("[\"1\",\"2\",\"3\"]");
        assertThat(result.get("paid").asBoolean()).isTrue();

        JsonNode placed = sendConfirmed(t, instanceId, "placeOrder", "[" + order + "]");
        assertThat(placed.get("status").asString()).isEqualTo("CONFIRMED");
        JsonNode last = call(t, instanceId, "getLastOrder", "[]").get("outputs").get("0");
        assertThat(last.get("items").get(1).get("label").asString()).isEqualTo("max");
    }

    @Test
    void overloadsAreSelectedBySignatureAndAPlainOverloadedNameIs400() {
        JsonNode ambiguous = expect(400, post("/v1/instances/" + instanceId + "/send/store"), t.token(),
                "{\"walletId\":\"" + t.walletId() + "\",\"args\":[1]}");
        assertThat(ambiguous.get("code").asString()).isEqualTo("ambiguous_function");
        assertThat(ambiguous.get("candidates").toString()).contains("store(uint256)", "store(uint256,string)", "store(uint256,string,bytes)");

        sendConfirmed(t, instanceId, "store(uint256,string,bytes)", "[42, \"note\", \"0xcafe\"]");
        assertThat(call(t, instanceId, "counter", "[]").get("outputs").get("0").asString()).isEqualTo("42");
        assertThat(call(t, instanceId, "blob", "[]").get("outputs").get("0").asString()).isEqualTo("0xcafe");
        sendConfirmed(t, instanceId, "store(uint256)", "[43]");
        assertThat(call(t, instanceId, "counter", "[]").get("outputs").get("0").asString()).isEqualTo("43");
        sendConfirmed(t, instanceId, "setSigned(int128)", "[\"-170141183460469231731687303715884105728\"]");
        assertThat(call(t, instanceId, "signedValue", "[]").get("outputs").get("0").asString())
                .isEqualTo("-170141183460469231731687303715884105728");
    }

    @Test
    void aWrongArgumentIs400PointingAtIt() {
        assertBad("echoInts", "[256, 1, 1, 1]", "args[0]", "out of range for uint8");
        assertBad("echoInts", "[1, \"12x\", 1, 1]", "args[1]", "is not an integer");
        assertBad("echoInts", "[1, 1, 1]", "args", "expected 4 values but got 3");
        assertBad("echoBytes", "[\"0xdead\", \"0x" + "11".repeat(32) + "\", \"0x\"]", "args[0]", "exactly 4 bytes");
        assertBad("echoBytes", "[\"0xdeadbeef\", \"0x" + "11".repeat(32) + "\", \"0x123\"]", "args[2]", "whole bytes");
        assertBad("echoArrays", "[[1], [\"0x000000000000000000000000000000000000dEaD\"], []]", "args[1]", "exactly 2 elements");
        assertBad("echoArrays", "[[1], [\"0x000000000000000000000000000000000000DEAd\", \"0x000000000000000000000000000000000000dEaD\"], []]",
                "args[1][0]", "invalid EIP-55 checksum");
        assertBad("echoOrder", "{\"order\":{\"buyer\":\"0x000000000000000000000000000000000000dEaD\",\"items\":[{\"id\":1,\"label\":\"x\"}],"
                + "\"amounts\":[1,2,3],\"paid\":true}}", "args.order.items[0].tag", "is required");
        assertBad("echoOrder", "{\"order\":{\"buyer\":\"0x000000000000000000000000000000000000dEaD\",\"items\":[],"
                + "\"amounts\":[1,2,3],\"paid\":\"yes\"}}", "args.order.paid", "true or false");
        JsonNode unknown = expect(400, post("/v1/instances/" + instanceId + "/call/nope"), t.token(), "{\"args\":[]}");
        assertThat(unknown.get("code").asString()).isEqualTo("unknown_function");
    }

    private void assertBad(String method, String args, String field, String message) {
        JsonNode problem = expect(400, post("/v1/instances/" + instanceId + "/call/" + method), t.token(), "{\"args\":" + args + "}");
        assertThat(problem.get("code").asString()).isEqualTo("invalid_argument");
        assertThat(problem.get("field").asString()).isEqualTo(field);
        assertThat(problem.get("detail").asString()).contains(message);
    }

    @Test
    void everyRevertKindOfACallIsDecoded() {
        assertRevert("failWithReason", "[\"plain reason\"]", "error", "plain reason");
        assertRevert("failWithRequire", "[3]", "error", "value must exceed 10");
        assertRevert("failWithPanic", "[0]", "panic", "Panic(0x12): division or modulo by zero");
        assertRevert("failAssert", "[]", "panic", "Panic(0x01): assertion failed");
        assertRevert("failWithCustom", "[7]", "custom", "NotAllowed(caller=0x0000000000000000000000000000000000000000, code=7, why=custom error)");
        assertRevert("failEmpty", "[]", "custom", "Empty()");
        assertRevert("failBare", "[]", "unknown", "execution reverted without a reason");
        assertThat(call(t, instanceId, "failWithRequire", "[11]").get("outputs").get("0").asString()).isEqualTo("11");
    }

    private void assertRevert(String method, String args, String kind, String message) {
        JsonNode problem = expect(422, post("/v1/instances/" + instanceId + "/call/" + method), t.token(), "{\"args\":" + args + "}");
        assertThat(problem.get("code").asString()).isEqualTo("execution_reverted");
        assertThat(problem.get("revert").get("kind").asString()).as(method).isEqualTo(kind);
        assertThat(problem.get("revert").get("message").asString()).as(method).isEqualTo(message);
    }

    @Test
    void aSendRevertingAtEstimationAndOneRevertingOnChainBothShowTheDecodedReason() {
        JsonNode estimated = expect(202, post("/v1/instances/" + instanceId + "/send/failWithCustom"), t.token(),
                "{\"walletId\":\"" + t.walletId() + "\",\"args\":[9]}");
        assertThat(estimated.get("status").asString()).isEqualTo("FAILED");
        assertThat(estimated.get("revertReason").asString()).isEqualTo("NotAllowed(caller=" + t.address() + ", code=9, why=custom error)");

        // With a gas limit given there is no estimation: the transaction is mined, reverts on chain, and the tracker
        // replays it to recover the reason.
        JsonNode mined = expect(200, post("/v1/instances/" + instanceId + "/send/bumpOrFail?confirm=true"), t.token(),
                "{\"walletId\":\"" + t.walletId() + "\",\"args\":[true],\"gasLimit\":\"200000\"}");
        assertThat(mined.get("status").asString()).isEqualTo("FAILED");
        assertThat(mined.get("blockNumber").isNumber()).isTrue();
        assertThat(mined.get("nonce").isNumber()).isTrue();
        assertThat(mined.get("revert").get("kind").asString()).isEqualTo("custom");
        assertThat(mined.get("revertReason").asString()).startsWith("NotAllowed(caller=" + t.address()).endsWith("why=bump refused)");

        JsonNode panic = expect(200, post("/v1/instances/" + instanceId + "/send/failWithPanic?confirm=true"), t.token(),
                "{\"walletId\":\"" + t.walletId() + "\",\"args\":[0],\"gasLimit\":\"100000\"}");
        assertThat(panic.get("revertReason").asString()).isEqualTo("Panic(0x12): division or modulo by zero");
        JsonNode stored = await("/v1/transactions/" + panic.get("id").asString(), t.token(), Duration.ofSeconds(5),
                tx -> tx.get("status").asString().equals("FAILED"));
        assertThat(stored.get("revert").get("signature").asString()).isEqualTo("Panic(uint256)");
    }
}
