package io.chainmesh.notification.destination;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.hc.client5.http.DnsResolver;

/**
 * The transport's only way from a host name to addresses: the HTTP client connects to exactly what this returns, and
 * this returns only addresses {@link TargetAddressPolicy} allows, resolved once per connection. A name re-pointed at
 * an internal address after the endpoint was saved (DNS rebinding) is refused at connect time.
 */
public final class GuardedDnsResolver implements DnsResolver {

    private final TargetAddressPolicy policy;

    public GuardedDnsResolver(TargetAddressPolicy policy) {
        this.policy = policy;
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        try {
            return policy.resolve(host);
        } catch (RefusedTargetException e) {
            throw new RefusedTargetIOException(e);
        }
    }

    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }

    /** Carries the refusal through the client's I/O exception path; the delivery log shows its reason. */
    public static final class RefusedTargetIOException extends UnknownHostException {
        private final String reason;

        RefusedTargetIOException(RefusedTargetException e) {
            super("target refused (" + e.reason() + "): " + e.getMessage());
            this.reason = e.reason();
        }

        public String reason() {
            return reason;
        }
    }
}
