package io.chainmesh.tenant.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/** OAuth 2.0 token response shape (RFC 6749 §5.1). */
record TokenResponse(@JsonProperty("access_token") String accessToken, @JsonProperty("token_type") String tokenType,
        @JsonProperty("expires_in") long expiresIn) {

    @Override
    public String toString() {
        return "TokenResponse[tokenType=" + tokenType + ", expiresIn=" + expiresIn + "]";
    }
}
