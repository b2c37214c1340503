package io.chainmesh.blockchain.rpc;

import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Which JSON-RPC results cannot change and may be cached. Only answers about blocks at least the confirmation depth
 * below the head ("final") qualify, so a reorg shallower than that depth never touches a cached entry, and deeper
 * ones bump the node's cache epoch ({@link ChainHeads}). Block tags ({@code latest}, {@code pending}, {@code safe},
 * {@code finalized}, {@code earliest}) are never cached; null results and errors are never cached.
 */
final class CachePolicy {

    enum Kind {
        /** The answer never changes for a node (chain id). */
        ALWAYS,
        /** The request names a block number in params[index]; cacheable when that block is final. */
        BLOCK_PARAM,
        /** Addressed by hash; cacheable when the block the result sits in is final (result field names it). */
        RESULT_BLOCK
    }

    record Rule(Kind kind, int index, String field) {
    }

    private static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("eth_chainId", new Rule(Kind.ALWAYS, 0, null)),
            Map.entry("net_version", new Rule(Kind.ALWAYS, 0, null)),
            Map.entry("eth_getBlockByNumber", new Rule(Kind.BLOCK_PARAM, 0, null)),
            Map.entry("eth_getBlockTransactionCountByNumber", new Rule(Kind.BLOCK_PARAM, 0, null)),
            Map.entry("eth_getTransactionByBlockNumberAndIndex", new Rule(Kind.BLOCK_PARAM, 0, null)),
            Map.entry("eth_getBlockReceipts", new Rule(Kind.BLOCK_PARAM, 0, null)),
            Map.entry("eth_call", new Rule(Kind.BLOCK_PARAM, 1, null)),
            Map.entry("eth_getBalance", new Rule(Kind.BLOCK_PARAM, 1, null)),
            Map.entry("eth_getCode", new Rule(Kind.BLOCK_PARAM, 1, null)),
            Map.entry("eth_getTransactionCount", new Rule(Kind.BLOCK_PARAM, 1, null)),
            Map.entry("eth_getStorageAt", new Rule(Kind.BLOCK_PARAM, 2, null)),
            Map.entry("eth_getBlockByHash", new Rule(Kind.RESULT_BLOCK, 0, "number")),
            Map.entry("eth_getTransactionByHash", new Rule(Kind.RESULT_BLOCK, 0, "blockNumber")),
            Map.entry("eth_getTransactionReceipt", new Rule(Kind.RESULT_BLOCK, 0, "blockNumber")),
            Map.entry("eth_getTransactionByBlockHashAndIndex", new Rule(Kind.RESULT_BLOCK, 0, "blockNumber")));

    private CachePolicy() {
    }

    static Rule ruleFor(String method) {
        return RULES.get(method);
    }

    /** Whether a cached answer may be looked up; {@code safeHead} is head minus confirmation depth (or -1). */
    static boolean mayLookUp(Rule rule, JsonNode params, long safeHead) {
        return switch (rule.kind()) {
            case ALWAYS, RESULT_BLOCK -> true;
            case BLOCK_PARAM -> isFinal(blockNumberParam(params, rule.index()), safeHead);
        };
    }

    /** Whether an upstream answer may be stored. */
    static boolean mayStore(Rule rule, JsonNode params, JsonNode result, long safeHead) {
        if (result == null || result.isNull() || result.isMissingNode()) {
            return false;
        }
        return switch (rule.kind()) {
            case ALWAYS -> true;
            case BLOCK_PARAM -> isFinal(blockNumberParam(params, rule.index()), safeHead);
            case RESULT_BLOCK -> result.isObject() && isFinal(quantity(result.get(rule.field())), safeHead);
        };
    }

    private static boolean isFinal(long blockNumber, long safeHead) {
        return blockNumber >= 0 && safeHead >= 0 && blockNumber <= safeHead;
    }

    /** An explicit block number in params[index] (hex quantity or EIP-1898 {blockNumber}); -1 for tags and hashes. */
    static long blockNumberParam(JsonNode params, int index) {
        if (params == null || !params.isArray() || params.size() <= index) {
            return -1;
        }
        JsonNode block = params.get(index);
        if (block.isObject()) {
            return quantity(block.get("blockNumber"));
        }
        return quantity(block);
    }

    /** A hex quantity ({@code 0x1a}) as a number; -1 for anything else (tags, hashes, absent). */
    static long quantity(JsonNode node) {
        if (node == null || !node.isString()) {
            return -1;
        }
        String text = node.asString();
        if (!text.startsWith("0x") || text.length() < 3 || text.length() > 17) {
            return -1;
        }
        try {
            return Long.parseLong(text.substring(2), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
