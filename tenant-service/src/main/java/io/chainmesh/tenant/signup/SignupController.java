package io.chainmesh.tenant.signup;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import jakarta.validation.Valid;

/** Self-service signup; anonymous callers welcome (the gateway mints them an anonymous identity). */
@RestController
class SignupController {

    private final SignupService signup;

    SignupController(SignupService signup) {
        this.signup = signup;
    }

    @PostMapping("/v1/signup")
    @ResponseStatus(HttpStatus.CREATED)
    SignupResponse signUp(@Valid @RequestBody SignupRequest request) {
        return signup.signUp(request);
    }
}
