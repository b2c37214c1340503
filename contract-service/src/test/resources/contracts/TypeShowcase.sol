// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// Exercises the ABI types, overloads and revert kinds contract-service must convert and decode.
contract TypeShowcase {
    struct Item {
        uint64 id;
        string label;
        bytes32 tag;
    }

    struct Order {
        address buyer;
        Item[] items;
        uint256[3] amounts;
        bool paid;
    }

    error NotAllowed(address caller, uint256 code, string why);
    error Empty();

    event Stored(address indexed by, uint256 indexed key, string note, bytes data);
    event OrderPlaced(uint256 indexed orderId, address indexed buyer, Item[] items);

    uint256 public counter;
    int128 public signedValue;
    bytes public blob;
    Order private lastOrder;

    function echoInts(uint8 a, uint256 b, int8 c, int256 d) external pure returns (uint8, uint256, int8, int256) {
        return (a, b, c, d);
    }

    function echoBytes(bytes4 small, bytes32 word, bytes calldata data) external pure returns (bytes4, bytes32, bytes memory) {
        return (small, word, data);
    }

    function echoArrays(uint16[] calldata dyn, address[2] calldata pair, string[] calldata words)
        external pure returns (uint16[] memory, address[2] memory, string[] memory) {
        return (dyn, pair, words);
    }

    function echoNested(uint256[][] calldata grid, bool[2][] calldata flags) external pure returns (uint256[][] memory, bool[2][] memory) {
        return (grid, flags);
    }

    function echoOrder(Order calldata order) external pure returns (Order memory result, uint256 itemCount) {
        return (order, order.items.length);
    }

    function placeOrder(Order calldata order) external returns (uint256 orderId) {
        if (order.items.length == 0) revert Empty();
        lastOrder.buyer = order.buyer;
        delete lastOrder.items;
        for (uint256 i = 0; i < order.items.length; i++) {
            lastOrder.items.push(order.items[i]);
        }
        lastOrder.amounts = order.amounts;
        lastOrder.paid = order.paid;
        counter += 1;
        emit OrderPlaced(counter, order.buyer, order.items);
        return counter;
    }

    function getLastOrder() external view returns (Order memory) {
        return lastOrder;
    }

    // Overloads: selected by signature, e.g. "store(uint256)" vs "store(uint256,string)".
    function store(uint256 key) external {
        counter = key;
        emit Stored(msg.sender, key, "", "");
    }

    function store(uint256 key, string calldata note) external {
        counter = key;
        emit Stored(msg.sender, key, note, "");
    }

    function store(uint256 key, string calldata note, bytes calldata data) external {
        counter = key;
        blob = data;
        emit Stored(msg.sender, key, note, data);
    }

    function setSigned(int128 v) external {
        signedValue = v;
    }

    // Revert kinds.
    function failWithReason(string calldata reason) external pure {
        revert(reason);
    }

    function failWithRequire(uint256 v) external pure returns (uint256) {
        require(v > 10, "value must exceed 10");
        return v;
    }

    function failWithPanic(uint256 divisor) external pure returns (uint256) {
        return 100 / divisor;
    }

    function failWithCustom(uint256 code) external view {
        revert NotAllowed(msg.sender, code, "custom error");
    }

    function failEmpty() external pure {
        revert Empty();
    }

    function failBare() external pure {
        revert();
    }

    function failAssert() external pure {
        assert(false);
    }

    // Writes that revert only on chain (estimation is skipped when the caller gives a gas limit).
    function bumpOrFail(bool fail) external {
        counter += 1;
        if (fail) revert NotAllowed(msg.sender, counter, "bump refused");
    }
}
