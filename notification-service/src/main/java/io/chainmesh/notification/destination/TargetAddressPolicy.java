package io.chainmesh.notification.destination;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The SSRF guard of webhook delivery: decides which URLs and which resolved addresses a webhook may
 * be sent to. Used twice: when an endpoint URL is saved (fail fast, with a reason the tenant can act on) and by
 * {@link GuardedDnsResolver} for every connection, so the address actually connected to is the address that was
 * checked (DNS rebinding between the two checks gains nothing). The transport follows no redirects.
 *
 * <p>Host literals are read the way {@code inet_aton} and browsers read them ({@code 2130706433}, {@code 0177.0.0.1},
 * {@code 0x7f.1}), so an encoded loopback is classified as loopback instead of slipping through as a "host name".
 * IPv6 addresses that embed an IPv4 address (IPv4-mapped, IPv4-compatible, NAT64, 6to4) are judged by the embedded one.
 */
public final class TargetAddressPolicy {

    /** Why an address is refused; the wire name goes into the problem's {@code reason}. */
    public enum Category {
        PUBLIC(null), PRIVATE("private"), LOOPBACK("loopback"), LINK_LOCAL("link_local"), MULTICAST("multicast"),
        UNSPECIFIED("unspecified"), RESERVED("reserved"), METADATA("metadata");

        private final String reason;

        Category(String reason) {
            this.reason = reason;
        }

        public String reason() {
            return reason;
        }
    }

    /** Cloud instance-metadata and similar control-plane addresses: refused whatever the operator allows. */
    private static final Set<String> METADATA_ADDRESSES = Set.of(
            "169.254.169.254", // AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean
            "169.254.170.2",   // AWS ECS task metadata
            "169.254.169.253", // AWS VPC DNS
            "169.254.169.123", // AWS time sync
            "100.100.100.200", // Alibaba Cloud
            "168.63.129.16",   // Azure wire server
            "192.0.0.192",     // Oracle Cloud (classic)
            "fd00:ec2:0:0:0:0:0:254", "fd00:ec2:0:0:0:0:0:253", "fd00:ec2:0:0:0:0:0:23"); // AWS IPv6 IMDS, DNS, time

    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog", "metadata",
            "instance-data", "instance-data.ec2.internal", "metadata.azure.com", "metadata.tencentyun.com");

    private final boolean allowPrivate;
    private final List<Cidr> allowedCidrs;

    public TargetAddressPolicy(boolean allowPrivate, List<String> allowedCidrs) {
        this.allowPrivate = allowPrivate;
        this.allowedCidrs = allowedCidrs.stream().map(Cidr::parse).toList();
    }

    /**
     * Checks a webhook URL as saved: scheme, shape, and every address its host resolves to now. A name that does not
     * resolve yet is accepted (DNS may be set up after the endpoint); the connect-time check refuses it if it later
     * resolves to a forbidden address.
     *
     * @throws RefusedTargetException naming the reason
     */
    public void checkUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new RefusedTargetException("invalid_url", "The URL cannot be parsed: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new RefusedTargetException("scheme_not_allowed", "Only http and https URLs are allowed, not '"
                    + (scheme.isEmpty() ? "(none)" : scheme) + "'");
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            throw new RefusedTargetException("credentials_in_url",
                    "The URL must not carry credentials; authenticate deliveries by their signature");
        }
        String host = hostOf(uri);
        if (host == null || host.isBlank()) {
            throw new RefusedTargetException("invalid_url", "The URL has no valid host");
        }
        try {
            resolve(host);
        } catch (RefusedTargetException e) {
            if (!e.reason().equals("unresolvable")) {
                throw e;
            }
        }
    }

    /**
     * The host of a URL. {@link URI#getHost()} is null for hosts whose last label starts with a digit, which is exactly
     * how numeric forms such as {@code 2130706433} or {@code 127.1} look; HTTP clients still connect to those, so the
     * authority is read by hand then.
     */
    static String hostOf(URI uri) {
        if (uri.getHost() != null) {
            return uri.getHost();
        }
        String authority = uri.getRawAuthority();
        if (authority == null) {
            return null;
        }
        authority = authority.substring(authority.lastIndexOf('@') + 1);
        if (authority.startsWith("[")) {
            int end = authority.indexOf(']');
            return end < 0 ? null : authority.substring(0, end + 1);
        }
        int colon = authority.indexOf(':');
        return colon < 0 ? authority : authority.substring(0, colon);
    }

    /**
     * Resolves a host (a name or any literal form) to the addresses that may be connected to; refuses when any is
     * forbidden, so a name that resolves to one public and one internal address is refused as a whole.
     */
    public InetAddress[] resolve(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        h = h.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (METADATA_HOSTS.contains(h)) {
            throw new RefusedTargetException("metadata", "'" + host + "' is a cloud metadata host");
        }
        Optional<InetAddress> literal = literal(h);
        if (literal.isPresent()) {
            check(literal.get());
            return new InetAddress[] {literal.get()};
        }
        InetAddress[] resolved;
        try {
            resolved = InetAddress.getAllByName(h);
        } catch (UnknownHostException e) {
            throw new RefusedTargetException("unresolvable", "The host '" + host + "' does not resolve");
        }
        for (InetAddress address : resolved) {
            check(address);
        }
        return resolved;
    }

    /** @throws RefusedTargetException when the address may not be a webhook target */
    public void check(InetAddress address) {
        Category category = classify(address);
        if (category == Category.PUBLIC) {
            return;
        }
        boolean trusted = allowedCidrs.stream().anyMatch(c -> c.contains(address));
        if ((category == Category.PRIVATE || category == Category.LOOPBACK) && (allowPrivate || trusted)) {
            return;
        }
        throw new RefusedTargetException(category.reason(), "The address " + address.getHostAddress() + " is "
                + describe(category) + "; webhooks may not target it");
    }

    private static String describe(Category c) {
        return switch (c) {
            case PRIVATE -> "a private network address";
            case LOOPBACK -> "a loopback address";
            case LINK_LOCAL -> "a link-local address";
            case MULTICAST -> "a multicast address";
            case UNSPECIFIED -> "the unspecified address";
            case RESERVED -> "a reserved or broadcast address";
            case METADATA -> "a cloud metadata address";
            case PUBLIC -> "public";
        };
    }

    /** What kind of address this is, judged by the embedded IPv4 address for IPv6 forms that carry one. */
    public static Category classify(InetAddress address) {
        if (METADATA_ADDRESSES.contains(address.getHostAddress().toLowerCase(Locale.ROOT).replaceAll("%.*$", ""))) {
            return Category.METADATA;
        }
        if (address instanceof Inet6Address v6) {
            Optional<Inet4Address> embedded = embeddedIpv4(v6.getAddress());
            if (embedded.isPresent()) {
                return classify(embedded.get());
            }
            return classify6(v6.getAddress());
        }
        return classify4(address.getAddress());
    }

    private static Category classify4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if (b0 == 0) {
            return Category.UNSPECIFIED; // 0.0.0.0/8: "this network", connects to localhost on Linux
        }
        if (b0 == 127) {
            return Category.LOOPBACK;
        }
        if (b0 == 10 || (b0 == 172 && b1 >= 16 && b1 <= 31) || (b0 == 192 && b1 == 168)
                || (b0 == 100 && b1 >= 64 && b1 <= 127)) { // RFC 1918 and RFC 6598 carrier-grade NAT
            return Category.PRIVATE;
        }
        if (b0 == 169 && b1 == 254) {
            return Category.LINK_LOCAL;
        }
        if (b0 >= 224 && b0 <= 239) {
            return Category.MULTICAST;
        }
        if (b0 >= 240 || (b0 == 192 && b1 == 0 && (a[2] & 0xff) == 0) || (b0 == 198 && (b1 == 18 || b1 == 19))) {
            return Category.RESERVED; // 240/4 incl. broadcast, IETF protocol assignments, benchmarking
        }
        return Category.PUBLIC;
    }

    private static Category classify6(byte[] a) {
        boolean allZeroButLast = true;
        for (int i = 0; i < 15; i++) {
            allZeroButLast &= a[i] == 0;
        }
        if (allZeroButLast && a[15] == 0) {
            return Category.UNSPECIFIED;
        }
        if (allZeroButLast && a[15] == 1) {
            return Category.LOOPBACK;
        }
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if (b0 == 0xff) {
            return Category.MULTICAST;
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return Category.LINK_LOCAL; // fe80::/10
        }
        if ((b0 & 0xfe) == 0xfc || (b0 == 0xfe && (b1 & 0xc0) == 0xc0)) {
            return Category.PRIVATE; // fc00::/7 unique local, fec0::/10 deprecated site-local
        }
        if (b0 == 0x20 && b1 == 0x01 && a[2] == 0x0d && (a[3] & 0xff) == 0xb8) {
            return Category.RESERVED; // 2001:db8::/32 documentation
        }
        if ((b0 & 0xe0) != 0x20) {
            return Category.RESERVED; // outside 2000::/3, the only globally routed unicast block
        }
        return Category.PUBLIC;
    }

    /** IPv4-mapped ::ffff:a.b.c.d, IPv4-compatible ::a.b.c.d, NAT64 64:ff9b::a.b.c.d and 6to4 2002:aabb:ccdd::. */
    private static Optional<Inet4Address> embeddedIpv4(byte[] a) {
        boolean first10Zero = true;
        for (int i = 0; i < 10; i++) {
            first10Zero &= a[i] == 0;
        }
        boolean mapped = first10Zero && (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
        boolean compatible = first10Zero && a[10] == 0 && a[11] == 0 && !(a[12] == 0 && a[13] == 0 && a[14] == 0);
        boolean nat64 = a[0] == 0 && a[1] == 0x64 && (a[2] & 0xff) == 0xff && (a[3] & 0xff) == 0x9b;
        if (mapped || compatible || nat64) {
            return Optional.of(v4(a[12], a[13], a[14], a[15]));
        }
        if (a[0] == 0x20 && a[1] == 0x02) {
            return Optional.of(v4(a[2], a[3], a[4], a[5]));
        }
        return Optional.empty();
    }

    private static Inet4Address v4(byte a, byte b, byte c, byte d) {
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] {a, b, c, d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads a host as an IP literal if it is one: IPv6 (brackets already removed), or IPv4 in any {@code inet_aton}
     * form: 1 to 4 parts, each decimal, octal (leading 0) or hex (0x), the last part filling the remaining bytes.
     */
    static Optional<InetAddress> literal(String host) {
        if (host.contains(":")) {
            try {
                return Optional.of(InetAddress.getByName(host)); // a literal with ':' is never looked up in DNS
            } catch (UnknownHostException e) {
                throw new RefusedTargetException("invalid_url", "'" + host + "' is not a valid IPv6 address");
            }
        }
        String[] parts = host.split("\\.", -1);
        if (parts.length > 4) {
            return Optional.empty();
        }
        List<Long> values = new ArrayList<>();
        for (String part : parts) {
            Long v = number(part);
            if (v == null) {
                return Optional.empty();
            }
            values.add(v);
        }
        long address = 0;
        for (int i = 0; i < values.size() - 1; i++) {
            if (values.get(i) > 255) {
                throw new RefusedTargetException("invalid_url", "'" + host + "' is not a valid IPv4 address");
            }
            address = (address << 8) | values.get(i);
        }
        int remainingBytes = 4 - (values.size() - 1);
        long last = values.get(values.size() - 1);
        if (last >= (1L << (8 * remainingBytes))) {
            throw new RefusedTargetException("invalid_url", "'" + host + "' is not a valid IPv4 address");
        }
        address = (address << (8 * remainingBytes)) | last;
        byte[] bytes = {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        try {
            return Optional.of(InetAddress.getByAddress(host, bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Long number(String part) {
        try {
            if (part.isEmpty()) {
                return null;
            }
            if (part.startsWith("0x")) {
                return part.length() == 2 ? 0L : Long.parseLong(part.substring(2), 16);
            }
            if (part.length() > 1 && part.startsWith("0")) {
                return Long.parseLong(part.substring(1), 8);
            }
            return Long.parseLong(part, 10);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** An address range in CIDR notation, IPv4 or IPv6. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String text) {
            String[] parts = text.trim().split("/");
            try {
                InetAddress network = InetAddress.getByName(parts[0]);
                int bits = network.getAddress().length * 8;
                int prefix = parts.length > 1 ? Integer.parseInt(parts[1]) : bits;
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("Bad prefix in CIDR " + text);
                }
                return new Cidr(network.getAddress(), prefix);
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("chainmesh.notification.targets.allowed-cidrs: bad CIDR " + text, e);
            }
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
