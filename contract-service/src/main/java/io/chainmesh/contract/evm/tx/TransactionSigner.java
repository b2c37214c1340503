package io.chainmesh.contract.evm.tx;

import org.springframework.stereotype.Component;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

import io.chainmesh.contract.wallet.KeyCustody;
import io.chainmesh.contract.wallet.SealedKey;

/**
 * Signs EIP-1559 (type 2) transactions with a wallet's key: the signing hash is keccak256 of the type byte and the
 * RLP of the unsigned fields (EIP-1559, EIP-2718), custody signs that hash, and the signed transaction is encoded
 * with the signature's y parity. Byte for byte what web3j's {@code TransactionEncoder.signMessage} makes.
 */
@Component
public class TransactionSigner {

    private final KeyCustody custody;

    public TransactionSigner(KeyCustody custody) {
        this.custody = custody;
    }

    public SignedTransaction sign(SealedKey key, UnsignedTransaction tx) {
        RawTransaction raw = RawTransaction.createTransaction(tx.chainId(), tx.nonce(), tx.gasLimit(),
                tx.to() == null ? "" : tx.to(), tx.value(), tx.data(), tx.maxPriorityFeePerGas(), tx.maxFeePerGas());
        Sign.SignatureData signature = custody.signHash(key, Hash.sha3(TransactionEncoder.encode(raw)));
        byte[] signed = TransactionEncoder.encode(raw, signature);
        return new SignedTransaction(Numeric.toHexString(signed), Numeric.toHexString(Hash.sha3(signed)));
    }
}
