using System.Net;
using Gateway.Outbound;

namespace Gateway.Tests.Outbound;

public sealed class OutboundPolicyTests
{
    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("224.0.0.1")]
    [InlineData("239.255.255.250")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fc00::1")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::127.0.0.1")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    public void Special_addresses_are_refused_by_default(string address)
    {
        Assert.False(OutboundPolicy.Strict.Allows(IPAddress.Parse(address)));
        Assert.True(OutboundPolicy.Unrestricted.Allows(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("93.184.215.14")]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_allowed(string address) =>
        Assert.True(OutboundPolicy.Strict.Allows(IPAddress.Parse(address)));

    [Fact]
    public void Operator_cidrs_allow_only_those_networks()
    {
        var policy = OutboundPolicy.Parse("10.20.0.0/16, 127.0.0.2, fd12::/16");

        Assert.True(policy.Allows(IPAddress.Parse("10.20.3.4")));
        Assert.True(policy.Allows(IPAddress.Parse("::ffff:10.20.3.4")));
        Assert.True(policy.Allows(IPAddress.Parse("127.0.0.2")));
        Assert.True(policy.Allows(IPAddress.Parse("fd12::5")));
        Assert.False(policy.Allows(IPAddress.Parse("10.21.0.1")));
        Assert.False(policy.Allows(IPAddress.Parse("127.0.0.1")));
        Assert.False(policy.Allows(IPAddress.Parse("169.254.169.254")));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    public void The_variable_reads_true_and_false(string? value, bool loopbackAllowed) =>
        Assert.Equal(loopbackAllowed, OutboundPolicy.Parse(value).Allows(IPAddress.Loopback));

    [Fact]
    public void A_malformed_entry_is_a_configuration_error() =>
        Assert.Throws<FormatException>(() => OutboundPolicy.Parse("10.0.0.0/8,intranet"));

    [Theory]
    [InlineData("http://localhost/")]
    [InlineData("http://127.0.0.1/")]
    [InlineData("http://127.1/")]
    [InlineData("http://2130706433/")]
    [InlineData("http://0x7f000001/")]
    [InlineData("http://[::ffff:127.0.0.1]/")]
    [InlineData("http://[::1]:8080/")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("ftp://93.184.215.14/")]
    public async Task The_api_check_refuses_urls_that_lead_inside(string url) =>
        Assert.False(await OutboundPolicy.Strict.PermitsAsync(new Uri(url), CancellationToken.None));

    [Fact]
    public async Task The_api_check_lets_a_public_address_through() =>
        Assert.True(await OutboundPolicy.Strict.PermitsAsync(new Uri("https://93.184.215.14/file.pdf"), CancellationToken.None));
}
