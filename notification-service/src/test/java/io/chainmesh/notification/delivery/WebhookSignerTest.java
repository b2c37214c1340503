package io.chainmesh.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    /** The example from the Standard Webhooks specification / Svix documentation. */
    @Test
    void signsTheSpecificationsExampleToItsPublishedSignature() {
        String signature = WebhookSigner.signatureHeader("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330,
                "{\"test\": 2432232314}", List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void twoSecretsGiveTwoSpaceSeparatedSignaturesNewestFirst() {
        String header = WebhookSigner.signatureHeader("msg_1", 1700000000, "{}",
                List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_dGVzdHRlc3R0ZXN0dGVzdA=="));
        String[] parts = header.split(" ");
        assertThat(parts).hasSize(2);
        assertThat(parts[0]).isEqualTo("v1," + WebhookSigner.sign("msg_1", 1700000000, "{}",
                "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
        assertThat(parts[1]).startsWith("v1,").isNotEqualTo(parts[0]);
    }
}
