package io.chainmesh.blockchain.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CachePolicyTest {

    private final JsonMapper json = JsonMapper.builder().build();

    private JsonNode params(String text) {
        return json.readTree(text);
    }

    @Test
    void blockTagsAreNeverCacheable() {
        CachePolicy.Rule rule = CachePolicy.ruleFor("eth_getBlockByNumber");
        for (String tag : new String[] {"latest", "pending", "safe", "finalized", "earliest"}) {
            assertThat(CachePolicy.mayLookUp(rule, params("[\"" + tag + "\",false]"), 100)).as(tag).isFalse();
        }
    }

    @Test
    void anExplicitBlockIsCacheableOnlyAtOrBelowTheSafeHead() {
        CachePolicy.Rule rule = CachePolicy.ruleFor("eth_call");
        assertThat(CachePolicy.mayLookUp(rule, params("[{},\"0x64\"]"), 100)).isTrue();
        assertThat(CachePolicy.mayLookUp(rule, params("[{},\"0x65\"]"), 100)).isFalse();
        assertThat(CachePolicy.mayLookUp(rule, params("[{},{\"blockNumber\":\"0x10\"}]"), 100)).isTrue();
        assertThat(CachePolicy.mayLookUp(rule, params("[{}]"), 100)).as("defaults to latest").isFalse();
        assertThat(CachePolicy.mayLookUp(rule, params("[{},\"0x10\"]"), -1)).as("head unknown").isFalse();
    }

    @Test
    void byHashResultsAreStoredOnlyWhenTheirBlockIsFinalAndNeverWhenNull() {
        CachePolicy.Rule rule = CachePolicy.ruleFor("eth_getTransactionReceipt");
        JsonNode p = params("[\"0xabc\"]");
        assertThat(CachePolicy.mayStore(rule, p, params("{\"blockNumber\":\"0x5\"}"), 10)).isTrue();
        assertThat(CachePolicy.mayStore(rule, p, params("{\"blockNumber\":\"0xb\"}"), 10)).isFalse();
        assertThat(CachePolicy.mayStore(rule, p, params("null"), 10)).isFalse();
        assertThat(CachePolicy.mayStore(CachePolicy.ruleFor("eth_getTransactionByHash"), p,
                params("{\"blockNumber\":null}"), 10)).as("pending transaction").isFalse();
    }

    @Test
    void blockHashesAreNotMistakenForNumbers() {
        String hash = "\"0x" + "ab".repeat(32) + "\"";
        assertThat(CachePolicy.blockNumberParam(params("[" + hash + "]"), 0)).isEqualTo(-1);
        assertThat(CachePolicy.ruleFor("eth_blockNumber")).isNull();
        assertThat(CachePolicy.ruleFor("eth_sendRawTransaction")).isNull();
    }
}
