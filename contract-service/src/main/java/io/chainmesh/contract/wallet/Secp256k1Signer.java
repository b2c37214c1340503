package io.chainmesh.contract.wallet;

import java.math.BigInteger;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;
import org.web3j.crypto.Sign;
import org.web3j.utils.Numeric;

/**
 * ECDSA over secp256k1 with RFC 6979 deterministic nonces and low-s normalisation (EIP-2), producing the recoverable
 * signature Ethereum transactions carry. The signature is the one web3j's {@code Sign.signMessage} makes, bit for bit
 * (same k, same canonical s; tested against it), but the recovery id is read off the nonce point R while signing
 * instead of found by recovering public keys from the signature until one matches, which cost web3j up to four point
 * multiplications per signature, three times the signing itself. The private key's public key is not needed at all.
 */
final class Secp256k1Signer {

    private static final ECDomainParameters CURVE = new ECDomainParameters(Sign.CURVE_PARAMS.getCurve(),
            Sign.CURVE_PARAMS.getG(), Sign.CURVE_PARAMS.getN(), Sign.CURVE_PARAMS.getH());
    private static final BigInteger N = CURVE.getN();
    private static final BigInteger HALF_N = N.shiftRight(1);

    private Secp256k1Signer() {
    }

    /** Signs a 32-byte message hash with private key {@code d}; v is 27 + the recovery id, as web3j encodes it. */
    static Sign.SignatureData sign(byte[] hash, BigInteger d) {
        if (hash.length != 32) {
            throw new IllegalArgumentException("expected a 32-byte hash");
        }
        if (d.signum() <= 0 || d.compareTo(N) >= 0) {
            throw new IllegalArgumentException("not a secp256k1 private key");
        }
        // As BouncyCastle's ECDSASigner with an HMacDSAKCalculator(SHA-256), which web3j's ECKeyPair.sign uses.
        BigInteger e = new BigInteger(1, hash);
        HMacDSAKCalculator kCalculator = new HMacDSAKCalculator(new SHA256Digest());
        kCalculator.init(N, d, hash);
        FixedPointCombMultiplier multiplier = new FixedPointCombMultiplier();
        while (true) {
            BigInteger k = kCalculator.nextK();
            ECPoint p = multiplier.multiply(CURVE.getG(), k).normalize();
            BigInteger x = p.getAffineXCoord().toBigInteger();
            BigInteger r = x.mod(N);
            if (r.signum() == 0) {
                continue;
            }
            BigInteger s = BigIntegers.modOddInverse(N, k).multiply(e.add(d.multiply(r))).mod(N);
            if (s.signum() == 0) {
                continue;
            }
            // The recovery id says which of the points with x coordinate r is R: its y parity, and whether x >= n.
            int recoveryId = (p.getAffineYCoord().testBitZero() ? 1 : 0) | (x.compareTo(N) >= 0 ? 2 : 0);
            if (s.compareTo(HALF_N) > 0) {
                // Canonical (low) s: (r, n - s) is the signature of -R, whose y has the other parity.
                s = N.subtract(s);
                recoveryId ^= 1;
            }
            return new Sign.SignatureData((byte) (27 + recoveryId), Numeric.toBytesPadded(r, 32), Numeric.toBytesPadded(s, 32));
        }
    }
}
