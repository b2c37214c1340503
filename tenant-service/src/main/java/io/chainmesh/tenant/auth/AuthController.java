package io.chainmesh.tenant.auth;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/** Login, and the public keys to verify what login hands out. */
@RestController
class AuthController {

    private final LoginService login;
    private final SigningKeyStore keys;

    AuthController(LoginService login, SigningKeyStore keys) {
        this.login = login;
        this.keys = keys;
    }

    @PostMapping("/v1/auth/token")
    ResponseEntity<TokenResponse> token(@Valid @RequestBody TokenRequest request) {
        // RFC 6749 §5.1: token responses must not be cached
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).header("Pragma", "no-cache")
                .body(login.login(request));
    }

    /** An open path (no identity token needed): verifiers fetch it directly. */
    @GetMapping(value = "/.well-known/jwks.json", produces = "application/json")
    ResponseEntity<Map<String, Object>> jwks() {
        return ResponseEntity.ok().cacheControl(CacheControl.maxAge(5, TimeUnit.MINUTES).cachePublic())
                .body(keys.publicKeys().toJSONObject(true));
    }
}
