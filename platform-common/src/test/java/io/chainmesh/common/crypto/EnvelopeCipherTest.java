package io.chainmesh.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

class EnvelopeCipherTest {

    private static final byte[] KEY_1 = filled(1);
    private static final byte[] KEY_2 = filled(2);
    private static final byte[] ROW_A = "tenant-a:row-1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ROW_B = "tenant-b:row-1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECRET = "whsec_c2VjcmV0LWJ5dGVzLWZvci10ZXN0cw==".getBytes(StandardCharsets.UTF_8);

    private static byte[] filled(int value) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) value);
        return key;
    }

    private static EnvelopeCipher cipher(String active, Map<String, byte[]> keys) {
        return new EnvelopeCipher(active, keys);
    }

    @Test
    void aSealedValueOpensWithTheSameAssociatedDataAndDoesNotContainThePlaintext() {
        EnvelopeCipher cipher = cipher("k1", Map.of("k1", KEY_1));
        EnvelopeCipher.Sealed sealed = cipher.seal(SECRET, ROW_A);

        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(sealed.bytes()).hasSize(12 + SECRET.length + 16);
        assertThat(new String(sealed.bytes(), StandardCharsets.ISO_8859_1))
                .doesNotContain(new String(SECRET, StandardCharsets.ISO_8859_1));
        assertThat(cipher.open(sealed, ROW_A)).isEqualTo(SECRET);
    }

    @Test
    void sealingTheSameValueTwiceGivesDifferentBytes() {
        EnvelopeCipher cipher = cipher("k1", Map.of("k1", KEY_1));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            seen.add(Base64.getEncoder().encodeToString(cipher.seal(SECRET, ROW_A).bytes()));
        }
        assertThat(seen).hasSize(50);
    }

    @Test
    void aValueCopiedToAnotherRowFailsToOpen() {
        EnvelopeCipher cipher = cipher("k1", Map.of("k1", KEY_1));
        EnvelopeCipher.Sealed sealed = cipher.seal(SECRET, ROW_A);
        assertThatThrownBy(() -> cipher.open(sealed, ROW_B))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failed authentication");
    }

    @Test
    void aTamperedValueFailsToOpen() {
        EnvelopeCipher cipher = cipher("k1", Map.of("k1", KEY_1));
        EnvelopeCipher.Sealed sealed = cipher.seal(SECRET, ROW_A);
        for (int position : new int[] {0, 12, sealed.bytes().length - 1}) {
            byte[] tampered = sealed.bytes().clone();
            tampered[position] ^= 0x01;
            assertThatThrownBy(() -> cipher.open(new EnvelopeCipher.Sealed("k1", tampered), ROW_A))
                    .isInstanceOf(IllegalStateException.class);
        }
        assertThatThrownBy(() -> cipher.open(new EnvelopeCipher.Sealed("k1", new byte[20]), ROW_A))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void afterRotationOldValuesStillOpenAndResealMovesThemToTheActiveKey() {
        EnvelopeCipher before = cipher("k1", Map.of("k1", KEY_1));
        EnvelopeCipher.Sealed old = before.seal(SECRET, ROW_A);

        EnvelopeCipher after = cipher("k2", Map.of("k1", KEY_1, "k2", KEY_2));
        assertThat(after.isActive(old)).isFalse();
        assertThat(after.open(old, ROW_A)).isEqualTo(SECRET);
        assertThat(after.seal(SECRET, ROW_A).keyId()).isEqualTo("k2");

        EnvelopeCipher.Sealed resealed = after.reseal(old, ROW_A);
        assertThat(resealed.keyId()).isEqualTo("k2");
        assertThat(after.reseal(resealed, ROW_A)).isSameAs(resealed);

        EnvelopeCipher onlyNew = cipher("k2", Map.of("k2", KEY_2));
        assertThat(onlyNew.open(resealed, ROW_A)).isEqualTo(SECRET);
        assertThatThrownBy(() -> onlyNew.open(old, ROW_A))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'k1'")
                .hasMessageContaining("not configured");
    }

    @Test
    void aValueSealedUnderAKeyWithTheSameIdButOtherBytesFailsToOpen() {
        EnvelopeCipher.Sealed sealed = cipher("k1", Map.of("k1", KEY_1)).seal(SECRET, ROW_A);
        assertThatThrownBy(() -> cipher("k1", Map.of("k1", KEY_2)).open(sealed, ROW_A))
                .isInstanceOf(IllegalStateException.class);
    }

    /**
     * The stored layout (IV, then ciphertext and tag, as NIST SP 800-38D's GCM outputs them) is a contract with the
     * rows services already hold, such as contract-service's wallets: bytes made here with plain JCE must open.
     */
    @Test
    void opensTheDocumentedLayoutMadeWithPlainJce() throws Exception {
        byte[] iv = new byte[12];
        Arrays.fill(iv, (byte) 7);
        Cipher jce = Cipher.getInstance("AES/GCM/NoPadding");
        jce.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY_1, "AES"), new GCMParameterSpec(128, iv));
        jce.updateAAD(ROW_A);
        byte[] ciphertext = jce.doFinal(SECRET);
        byte[] stored = ByteBuffer.allocate(iv.length + ciphertext.length).put(iv).put(ciphertext).array();

        assertThat(cipher("k1", Map.of("k1", KEY_1)).open(new EnvelopeCipher.Sealed("k1", stored), ROW_A))
                .isEqualTo(SECRET);
    }

    @Test
    void configurationErrorsNameThePropertyAndNeverTheKey() {
        String notBase64 = "not base64 !!";
        assertThatThrownBy(() -> EnvelopeCipher.fromConfiguration("chainmesh.x.custody", "k1", Map.of("k1", notBase64)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("chainmesh.x.custody.keys.k1 is not base64");
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> EnvelopeCipher.fromConfiguration("chainmesh.x.custody", "k1", Map.of("k1", shortKey)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("chainmesh.x.custody.keys.k1 must be 32 bytes (AES-256), is 16")
                .message().doesNotContain(shortKey);
        String key = Base64.getEncoder().encodeToString(KEY_1);
        assertThatThrownBy(() -> EnvelopeCipher.fromConfiguration("chainmesh.x.custody", "k9", Map.of("k1", key)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("chainmesh.x.custody.active-key-id 'k9'");

        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("k1", " " + key + "\n");
        EnvelopeCipher fromConfig = EnvelopeCipher.fromConfiguration("chainmesh.x.custody", "k1", keys);
        assertThat(cipher("k1", Map.of("k1", KEY_1)).open(fromConfig.seal(SECRET, ROW_A), ROW_A)).isEqualTo(SECRET);
    }

    @Test
    void theSealedValueNeverPrintsItsBytes() {
        EnvelopeCipher.Sealed sealed = cipher("k1", Map.of("k1", KEY_1)).seal(SECRET, ROW_A);
        assertThat(sealed.toString()).isEqualTo("Sealed[keyId=k1]");
    }
}
