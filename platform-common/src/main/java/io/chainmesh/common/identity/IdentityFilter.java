package io.chainmesh.common.identity;

import java.io.IOException;
import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Rejects every request to a service port that does not carry a valid gateway-signed identity token
 * (401), except the probe, scrape and OpenAPI paths listed in
 * {@code chainmesh.platform.identity.open-paths}. Reaching a service directly therefore grants nothing.
 */
public class IdentityFilter extends OncePerRequestFilter {

    public static final String ATTRIBUTE = Identity.class.getName();

    private final IdentityTokenCodec codec;
    private final List<String> openPaths;
    private final AntPathMatcher matcher = new AntPathMatcher();

    public IdentityFilter(IdentityTokenCodec codec, List<String> openPaths) {
        this.codec = codec;
        this.openPaths = List.copyOf(openPaths);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return openPaths.stream().anyMatch(p -> matcher.match(p, path));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String token = request.getHeader(Identity.HEADER);
        if (token == null || token.isBlank()) {
            reject(response, "identity_required", "This service is reached through the gateway; the request carries no "
                    + Identity.HEADER + " token");
            return;
        }
        Identity identity;
        try {
            identity = codec.verify(token.trim());
        } catch (IdentityTokenCodec.InvalidIdentityTokenException e) {
            reject(response, "identity_invalid", "The " + Identity.HEADER + " token was rejected: " + e.getMessage());
            return;
        }
        request.setAttribute(ATTRIBUTE, identity);
        chain.doFilter(request, response);
    }

    private static void reject(HttpServletResponse response, String code, String detail) throws IOException {
        response.setStatus(401);
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write("{\"type\":\"" + io.chainmesh.common.problem.Problems.typeOf(code)
                + "\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"" + detail.replace("\"", "'")
                + "\",\"code\":\"" + code + "\"}");
    }
}
