package io.chainmesh.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

class ScopePolicyTest {

    @Test
    void readingNeedsReadAndEverythingElseNeedsWrite() {
        assertThat(ScopePolicy.requiredScope(HttpMethod.GET, "/v1/wallets")).isEqualTo("read");
        assertThat(ScopePolicy.requiredScope(HttpMethod.HEAD, "/v1/nodes/1")).isEqualTo("read");
        assertThat(ScopePolicy.requiredScope(HttpMethod.POST, "/v1/wallets")).isEqualTo("write");
        assertThat(ScopePolicy.requiredScope(HttpMethod.DELETE, "/v1/nodes/1")).isEqualTo("write");
        assertThat(ScopePolicy.requiredScope(HttpMethod.PATCH, "/v1/webhooks/1")).isEqualTo("write");
    }

    @Test
    void pathRulesWinOverMethodRules() {
        assertThat(ScopePolicy.requiredScope(HttpMethod.GET, "/v1/api-keys")).isEqualTo("keys");
        assertThat(ScopePolicy.requiredScope(HttpMethod.DELETE, "/v1/api-keys/abc")).isEqualTo("keys");
        assertThat(ScopePolicy.requiredScope(HttpMethod.POST, "/rpc/cmk_x/node")).isEqualTo("rpc");
        assertThat(ScopePolicy.requiredScope(HttpMethod.POST, "/v1/nodes/abc/rpc")).isEqualTo("rpc");
        assertThat(ScopePolicy.requiredScope(HttpMethod.GET, "/v1/nodes/abc/rpc/")).isEqualTo("rpc");
        assertThat(ScopePolicy.requiredScope(HttpMethod.GET, "/v1/admin/tenants")).isEqualTo("admin");
    }

    @Test
    void lookalikePathsDoNotGetPathRules() {
        assertThat(ScopePolicy.requiredScope(HttpMethod.GET, "/v1/api-keysx")).isEqualTo("read");
        assertThat(ScopePolicy.requiredScope(HttpMethod.GET, "/v1/nodes/abc/rpcx")).isEqualTo("read");
        assertThat(ScopePolicy.requiredScope(HttpMethod.POST, "/v1/nodes/rpc")).isEqualTo("write");
        assertThat(ScopePolicy.requiredScope(HttpMethod.GET, "/v1/administrators")).isEqualTo("read");
    }

    @Test
    void onlySignupLoginAndPlansArePublic() {
        assertThat(PublicEndpoints.isPublic(HttpMethod.POST, "/v1/signup")).isTrue();
        assertThat(PublicEndpoints.isPublic(HttpMethod.POST, "/v1/auth/token")).isTrue();
        assertThat(PublicEndpoints.isPublic(HttpMethod.GET, "/v1/plans")).isTrue();
        assertThat(PublicEndpoints.isPublic(HttpMethod.GET, "/v1/signup")).isFalse();
        assertThat(PublicEndpoints.isPublic(HttpMethod.POST, "/v1/plans")).isFalse();
        assertThat(PublicEndpoints.isPublic(HttpMethod.GET, "/v1/tenant")).isFalse();
    }
}
