package io.chainmesh.contract.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.Sign;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

import io.chainmesh.contract.ContractProperties;
import io.chainmesh.contract.evm.tx.SignedTransaction;
import io.chainmesh.contract.evm.tx.TransactionSigner;
import io.chainmesh.contract.evm.tx.UnsignedTransaction;

/**
 * Our signer must produce exactly web3j's signatures (RFC 6979 nonce, low s, recovery id): the tracker re-signs an
 * allocated transaction after a crash and relies on getting the very same transaction (hash) again, and the chain
 * must recover the wallet's address from it.
 */
class Secp256k1SignerTest {

    private final Random random = new Random(4);

    @Test
    void signaturesAreBitForBitWeb3jsForRandomKeysAndHashes() {
        for (int i = 0; i < 300; i++) {
            BigInteger d = privateKey();
            byte[] hash = new byte[32];
            random.nextBytes(hash);
            Sign.SignatureData ours = Secp256k1Signer.sign(hash, d);
            Sign.SignatureData web3j = Sign.signMessage(hash, ECKeyPair.create(d), false);
            assertThat(ours.getR()).isEqualTo(web3j.getR());
            assertThat(ours.getS()).isEqualTo(web3j.getS());
            assertThat(ours.getV()).as("recovery id of signature %d", i).isEqualTo(web3j.getV());
        }
    }

    @Test
    void theSignersAddressIsRecoveredFromTheSignature() throws Exception {
        for (int i = 0; i < 20; i++) {
            BigInteger d = privateKey();
            byte[] hash = Hash.sha3(("message " + i).getBytes());
            Sign.SignatureData signature = Secp256k1Signer.sign(hash, d);
            assertThat(Sign.signedMessageHashToKey(hash, signature)).isEqualTo(Sign.publicKeyFromPrivate(d));
        }
    }

    @Test
    void custodySignsTransactionsExactlyAsWeb3jsTransactionEncoderDoes() throws Exception {
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        EncryptedKeyCustody custody = new EncryptedKeyCustody(new ContractProperties(null,
                new ContractProperties.Custody("test", Map.of("test", Base64.getEncoder().encodeToString(kek))), null, null));
        TransactionSigner signer = new TransactionSigner(custody);
        for (int i = 0; i < 50; i++) {
            BigInteger d = privateKey();
            SealedKey key = custody.importKey(Numeric.toHexStringWithPrefixZeroPadded(d, 64));
            String to = i % 5 == 0 ? null : Keys.toChecksumAddress(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(i + 1), 40));
            UnsignedTransaction tx = new UnsignedTransaction(31337 + i, BigInteger.valueOf(i * 7L), BigInteger.valueOf(21_000 + i),
                    to, BigInteger.valueOf(i), "0x" + "ab".repeat(i), BigInteger.valueOf(1_000_000_000L + i),
                    BigInteger.valueOf(3_000_000_000L + i));

            SignedTransaction ours = signer.sign(key, tx);

            RawTransaction raw = RawTransaction.createTransaction(tx.chainId(), tx.nonce(), tx.gasLimit(), to == null ? "" : to,
                    tx.value(), tx.data(), tx.maxPriorityFeePerGas(), tx.maxFeePerGas());
            byte[] web3j = TransactionEncoder.signMessage(raw, Credentials.create(ECKeyPair.create(d)));
            assertThat(ours.raw()).isEqualTo(Numeric.toHexString(web3j));
            assertThat(ours.hash()).isEqualTo(Numeric.toHexString(Hash.sha3(web3j)));
            assertThat(((org.web3j.crypto.SignedRawTransaction) TransactionDecoder.decode(ours.raw())).getFrom())
                    .isEqualToIgnoringCase(key.address());
        }
    }

    @Test
    void aHashOfAnotherLengthOrAKeyOutsideTheCurveOrderIsRefused() {
        assertThatThrownBy(() -> Secp256k1Signer.sign(new byte[31], BigInteger.ONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Secp256k1Signer.sign(new byte[32], BigInteger.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Secp256k1Signer.sign(new byte[32], Sign.CURVE_PARAMS.getN())).isInstanceOf(IllegalArgumentException.class);
    }

    private BigInteger privateKey() {
        BigInteger d;
        do {
            d = new BigInteger(256, random);
        } while (d.signum() == 0 || d.compareTo(Sign.CURVE_PARAMS.getN()) >= 0);
        return d;
    }
}
