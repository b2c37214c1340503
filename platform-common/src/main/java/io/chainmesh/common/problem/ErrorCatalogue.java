package io.chainmesh.common.problem;

import org.springframework.http.HttpStatus;

/**
 * Implemented by each service's catalogue of stable error codes, an enum whose constants each hold a
 * {@link ProblemType} (after Hyperledger FireFly's {@code coremsgs}): every {@link ApiException} a service throws is
 * built from its catalogue, so the set of codes it can answer is written in one place and pinned by a test.
 */
public interface ErrorCatalogue {

    ProblemType problem();

    /** The error as an exception, with a detail for this occurrence; add properties with {@code with}. */
    default ApiException exception(String detail) {
        ProblemType p = problem();
        return new ApiException(p.status(), p.code(), p.title(), detail);
    }

    default HttpStatus status() {
        return problem().status();
    }

    default String code() {
        return problem().code();
    }

    default String title() {
        return problem().title();
    }
}
