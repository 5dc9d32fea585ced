package org.ocpihub.registry.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import reactor.test.StepVerifier;

/** D11: URLs members hand the hub are checked before the hub calls them, and every address form is judged. */
class EndpointUrlPolicyTest {

    private final EndpointUrlPolicy production = new EndpointUrlPolicy(false);
    private final EndpointUrlPolicy development = new EndpointUrlPolicy(true);

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/ocpi/versions", "http://localhost/ocpi", "http://10.1.2.3/x",
            "http://192.168.0.10/x", "http://172.16.5.5/x", "http://169.254.169.254/latest/meta-data",
            "http://0.0.0.0/x", "http://[::1]/x", "http://[fd00::1]/x", "http://100.64.0.1/x",
            "http://[::127.0.0.1]/x", "http://[::ffff:127.0.0.1]/x", "http://[64:ff9b::a9fe:a9fe]/x",
            "http://[2002:7f00:1::]/x", "http://[fd00:ec2::254]/latest/meta-data", "http://198.18.0.1/x",
            "http://255.255.255.255/x", "http://[fec0::1]/x"})
    void internalAddressesAreRefusedNamingTheUrl(String url) {
        StepVerifier.create(production.check(url))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(EndpointUrlPolicy.UnsafeUrlException.class)
                        .hasMessageContaining(url).hasMessageContaining("allow-private-endpoints"))
                .verify(Duration.ofSeconds(10));
        assertThat(production.refusalOf(url)).as(url).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            // IPv4: this network, private, CGNAT, loopback, link-local and metadata, benchmarking, multicast, reserved
            "0.0.0.0", "0.1.2.3", "10.0.0.1", "100.64.0.1", "100.127.255.255", "127.0.0.1", "127.255.0.9",
            "169.254.169.254", "169.254.0.1", "172.16.0.1", "172.31.255.255", "192.0.0.8", "192.168.1.1",
            "198.18.0.1", "198.19.255.255", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255",
            // IPv6: unspecified, loopback, unique-local, metadata, link-local, site-local, multicast, discard, Teredo
            "::", "::1", "fc00::1", "fd12:3456::1", "fd00:ec2::254", "fe80::1", "febf::1", "fec0::1", "feff::1",
            "ff02::1", "ff05::2", "100::1", "2001:0:4136:e378::1", "64:ff9b:1::1",
            // IPv6 forms embedding an internal IPv4: compatible, mapped, NAT64, 6to4
            "::127.0.0.1", "::10.0.0.1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:a9fe:a9fe",
            "64:ff9b::127.0.0.1", "64:ff9b::a9fe:a9fe", "64:ff9b::10.1.1.1", "2002:7f00:1::", "2002:a9fe:a9fe::1",
            "2002:c0a8:0101::"})
    void everyInternalAddressFormIsInternal(String literal) throws Exception {
        assertThat(EndpointUrlPolicy.isInternal(InetAddress.getByName(literal))).as(literal).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "93.184.216.34", "1.1.1.1", "100.128.0.1", "172.32.0.1", "198.20.0.1",
            "169.253.1.1", "2606:4700:4700::1111", "2a00:1450:4001::1", "::8.8.8.8", "::ffff:8.8.8.8",
            "64:ff9b::808:808", "2002:0808:0808::1"})
    void publicAddressesAreNotInternal(String literal) throws Exception {
        assertThat(EndpointUrlPolicy.isInternal(InetAddress.getByName(literal))).as(literal).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://example.com/x", "file:///etc/passwd", "not a url", "/ocpi/versions",
            "http://user:pw@example.com/x", "gopher://127.0.0.1:6379/_x"})
    void onlyAbsoluteHttpUrlsCanBeCalled(String url) {
        StepVerifier.create(production.check(url))
                .expectError(EndpointUrlPolicy.UnsafeUrlException.class)
                .verify(Duration.ofSeconds(10));
        StepVerifier.create(development.check(url))
                .expectError(EndpointUrlPolicy.UnsafeUrlException.class)
                .verify(Duration.ofSeconds(10));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://93.184.216.34/ocpi/versions", "http://8.8.8.8:8080/x"})
    void publicAddressesPass(String url) {
        StepVerifier.create(production.check(url)).expectNextCount(1).verifyComplete();
        assertThat(production.refusalOf(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/ocpi/versions", "http://localhost/x"})
    void localDevelopmentMayAllowPrivateAddresses(String url) {
        StepVerifier.create(development.check(url)).expectNextCount(1).verifyComplete();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hub.example.com/ocpi/versions", "https://HUB.example.com:443/ocpi/2.2.1/x",
            "https://hub.example.com"})
    void theHubsOwnPublicUrlIsRefusedEvenWhenPrivateEndpointsAreAllowed(String url) {
        EndpointUrlPolicy policy = new EndpointUrlPolicy(true, List.of(), "https://hub.example.com", () -> 8080);
        StepVerifier.create(policy.check(url))
                .expectErrorSatisfies(e -> assertThat(e).hasMessageContaining("the hub itself"))
                .verify(Duration.ofSeconds(10));
        assertThat(policy.refusalOf(url)).isPresent();
        // another port or scheme on the same host is another service
        StepVerifier.create(policy.check("https://hub.example.com:8443/x")).expectNextCount(1).verifyComplete();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "0.0.0.0", "::1"})
    void theHubsOwnListeningAddressIsRefusedAtConnectTime(String literal) throws Exception {
        EndpointUrlPolicy policy = new EndpointUrlPolicy(true, List.of(), "https://hub.example.com", () -> 8080);
        InetAddress address = InetAddress.getByName(literal);
        assertThat(policy.refusalAt(literal, address, 8080)).isPresent();
        assertThat(policy.refusalAt(literal, address, 8081)).isEmpty();
    }

    /** The input check: the hub's own address, recognised without a name lookup, even with private endpoints. */
    @ParameterizedTest
    @ValueSource(strings = {"https://hub.example.com/ocpi/versions", "https://HUB.example.com:443/ocpi/versions",
            "http://127.0.0.1:8080/ocpi/versions", "http://127.1.2.3:8080/v", "http://0.0.0.0:8080/ocpi/versions",
            "http://[::1]:8080/ocpi/versions", "http://localhost:8080/ocpi/versions", "http://[::ffff:127.0.0.1]:8080/v"})
    void theHubsOwnAddressIsSelf(String url) {
        EndpointUrlPolicy policy = new EndpointUrlPolicy(true, List.of(), "https://hub.example.com", () -> 8080);
        assertThat(policy.isSelf(url)).as(url).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hub.example.com:8443/ocpi/versions", "http://hub.example.com/ocpi/versions",
            "http://127.0.0.1:8081/ocpi/versions", "http://10.0.0.1:8080/ocpi/versions",
            "https://platform.example/ocpi/versions", "not a url", ""})
    void anotherAddressIsNotSelf(String url) {
        EndpointUrlPolicy policy = new EndpointUrlPolicy(true, List.of(), "https://hub.example.com", () -> 8080);
        assertThat(policy.isSelf(url)).as(url).isFalse();
    }

    @org.junit.jupiter.api.Test
    void anAllowListedEndpointMayBeInternalButNothingElseOnThatHost() throws Exception {
        EndpointUrlPolicy policy = new EndpointUrlPolicy(false, List.of("127.0.0.1:9001", "Partner.Local:443"),
                null, () -> -1);
        StepVerifier.create(policy.check("http://127.0.0.1:9001/ocpi/versions")).expectNextCount(1)
                .verifyComplete();
        StepVerifier.create(policy.check("http://127.0.0.1:9002/ocpi/versions"))
                .expectError(EndpointUrlPolicy.UnsafeUrlException.class).verify(Duration.ofSeconds(10));
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        assertThat(policy.refusalAt("127.0.0.1", loopback, 9001)).isEmpty();
        assertThat(policy.refusalAt("127.0.0.1", loopback, 9002)).isPresent();
        assertThat(policy.refusalAt("partner.local", InetAddress.getByName("10.0.0.5"), 443)).isEmpty();
        assertThat(policy.refusalOf("https://partner.local/ocpi")).isEmpty();
        assertThat(policy.refusalOf("http://localhost:9001/x")).isPresent(); // the entry names 127.0.0.1, not localhost
    }

    @ParameterizedTest
    @ValueSource(strings = {"999.1.1.1", "1.2.3.4.5", "12345", "example.com", "::zz"})
    void whatIsNoLiteralIsNeverLookedUpWithoutResolving(String host) {
        assertThat(EndpointUrlPolicy.literal(host)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "[::1]", "::ffff:10.0.0.1", "[fe80::1]"})
    void literalsAreParsedWithoutLookup(String host) {
        assertThat(EndpointUrlPolicy.literal(host)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost:", ":80", "[::1]"})
    void malformedAllowListEntriesAreRefusedAtStart(String entry) {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new EndpointUrlPolicy(false, List.of(entry), null, () -> -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host:port");
    }

    /** Minor finding: hosts read as resolvers read them (a trailing dot, inet_aton's IPv4 forms), without lookup. */
    @ParameterizedTest
    @ValueSource(strings = {"http://localhost.:18099/x", "http://LOCALHOST./x", "http://localhost../x",
            "http://api.localhost./x", "http://2130706433:18099/x", "http://0x7f000001/x", "http://0X7F.1/x",
            "http://017700000001/x", "http://0177.0.0.1/x", "http://127.1/x", "http://127.0.1/x", "http://0/x",
            "http://0x7f.0x0.0x0.0x1/x", "http://127.0.0.1./x", "http://2852039166/latest/meta-data",
            "http://0xa9.254.169.254/x", "http://10.1/x", "http://0x0a000001/x", "http://3232235777/x"})
    void nonCanonicalLoopbackAndPrivateFormsAreRefusedWithoutLookup(String url) {
        EndpointUrlPolicy policy = new EndpointUrlPolicy(false);

        assertThat(policy.refusalOf(url)).as(url).isPresent();
        assertThatThrownBy(() -> policy.check(url).block()).as(url)
                .isInstanceOf(EndpointUrlPolicy.UnsafeUrlException.class);
    }

    @ParameterizedTest
    @CsvSource({"2130706433,127.0.0.1", "0x7f.1,127.0.0.1", "0177.0.0.01,127.0.0.1", "127.1,127.0.0.1",
            "10.0x10.1,10.16.0.1", "1.2.3.4.,1.2.3.4", "0x,0.0.0.0", "134744072,8.8.8.8", "0x08.0x08.0x0808,8.8.8.8"})
    void ipv4FormsAreReadAsInetAtonReadsThem(String host, String address) throws Exception {
        assertThat(EndpointUrlPolicy.ipv4AsResolversRead(host)).contains(InetAddress.getByName(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "1.2.3.4.5", "256.1.1.1", "1.256.1", "4294967296", "0x100000000", "08",
            "1..2", "1.2.3.4..", "0xg", "-1", "1.2.3.-4", "", "cpo.1a"})
    void namesAndOutOfRangeNumbersAreNoIpv4(String host) {
        assertThat(EndpointUrlPolicy.ipv4AsResolversRead(host)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://134744072/x", "https://localhost.example.com/x"})
    void publicNumericFormsAndNamesContainingLocalhostPassTheCreationCheck(String url) {
        assertThat(new EndpointUrlPolicy(false).refusalOf(url)).isEmpty();
    }
}
