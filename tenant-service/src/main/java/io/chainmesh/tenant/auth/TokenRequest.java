package io.chainmesh.tenant.auth;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /v1/auth/token} body. The password length is not re-checked against the signup policy, so
 * a policy change never locks anyone out; the upper bound only keeps absurd inputs away.
 */
record TokenRequest(@NotBlank @Email @Size(max = 254) String email, @NotNull @Size(min = 1, max = 1024) String password) {

    @Override
    public String toString() {
        return "TokenRequest[email=" + email + "]";
    }
}
