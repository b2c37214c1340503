// Compiles the test contracts with the pinned solc (package.json) into the artifact formats contract-service
// accepts: ChainmeshToken as a Hardhat artifact, TypeShowcase as a Foundry artifact.
// Run from the repository root (so require('solc') resolves):
//   node contract-service/src/test/resources/contracts/compile-contracts.js
const fs = require('fs');
const path = require('path');
const solc = require('solc');

const dir = __dirname;
const sources = {};
for (const file of ['ChainmeshToken.sol', 'TypeShowcase.sol']) {
  sources[file] = { content: fs.readFileSync(path.join(dir, file), 'utf8') };
}
const input = {
  language: 'Solidity',
  sources,
  settings: {
    optimizer: { enabled: true, runs: 200 },
    evmVersion: 'cancun',
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  },
};
const output = JSON.parse(solc.compile(JSON.stringify(input)));
const errors = (output.errors || []).filter((e) => e.severity === 'error');
if (errors.length) {
  console.error(errors.map((e) => e.formattedMessage).join('\n'));
  process.exit(1);
}
const token = output.contracts['ChainmeshToken.sol'].ChainmeshToken;
fs.writeFileSync(path.join(dir, 'ChainmeshToken.hardhat.json'), JSON.stringify({
  _format: 'hh-sol-artifact-1',
  contractName: 'ChainmeshToken',
  sourceName: 'contracts/ChainmeshToken.sol',
  abi: token.abi,
  bytecode: '0x' + token.evm.bytecode.object,
  deployedBytecode: '0x' + token.evm.deployedBytecode.object,
  linkReferences: {},
  deployedLinkReferences: {},
}, null, 2) + '\n');
const showcase = output.contracts['TypeShowcase.sol'].TypeShowcase;
fs.writeFileSync(path.join(dir, 'TypeShowcase.foundry.json'), JSON.stringify({
  abi: showcase.abi,
  bytecode: { object: '0x' + showcase.evm.bytecode.object, linkReferences: {} },
  deployedBytecode: { object: '0x' + showcase.evm.deployedBytecode.object, linkReferences: {} },
  metadata: { compiler: { version: solc.version() } },
}, null, 2) + '\n');
console.log('compiled with solc ' + solc.version());
