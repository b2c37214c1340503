package io.chainmesh.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.chainmesh.common.apikey.ApiKeyFormat;

class PathTemplatesTest {

    @Test
    void replacesIdsAndNeverKeepsAnApiKey() {
        String key = ApiKeyFormat.generate();

        assertThat(PathTemplates.of("/rpc/" + key + "/7b0c3a52-3f0e-4a59-9a4e-2f1f5d8e9c10"))
                .isEqualTo("/rpc/{apiKey}/{id}");
        assertThat(PathTemplates.of("/rpc/not-even-a-key/node")).isEqualTo("/rpc/{apiKey}/node");
        assertThat(PathTemplates.of("/v1/nodes/7b0c3a52-3f0e-4a59-9a4e-2f1f5d8e9c10/rpc")).isEqualTo("/v1/nodes/{id}/rpc");
        assertThat(PathTemplates.of("/v1/invoices/42")).isEqualTo("/v1/invoices/{id}");
        assertThat(PathTemplates.of("/v1/plans")).isEqualTo("/v1/plans");
        assertThat(PathTemplates.of("/v1/x/" + key)).isEqualTo("/v1/x/{apiKey}");
        assertThat(PathTemplates.of("/")).isEqualTo("/");
    }
}
