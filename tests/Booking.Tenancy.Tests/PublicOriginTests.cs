using Booking.BuildingBlocks.Web;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace Booking.Tenancy.Tests;

public sealed class PublicOriginTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static IHostEnvironment Environment(string name) => new HostingEnvironment { EnvironmentName = name };

    [Theory]
    [InlineData("https://book.example.com", "https://book.example.com")]
    [InlineData("https://book.example.com/", "https://book.example.com")]
    [InlineData(" https://Book.Example.com:8443 ", "https://book.example.com:8443")]
    [InlineData("http://localhost:5080", "http://localhost:5080")]
    public void A_configured_origin_is_normalised(string raw, string expected) =>
        Assert.Equal(expected, PublicOrigin.Configured(Config((PublicOrigin.Key, raw))));

    [Fact]
    public void The_older_notifications_key_still_counts_and_the_new_one_wins()
    {
        Assert.Equal("https://old.example", PublicOrigin.Configured(Config((PublicOrigin.OlderKey, "https://old.example"))));
        Assert.Equal("https://new.example",
            PublicOrigin.Configured(Config((PublicOrigin.OlderKey, "https://old.example"), (PublicOrigin.Key, "https://new.example"))));
    }

    [Theory]
    [InlineData("book.example.com")]
    [InlineData("ftp://book.example.com")]
    [InlineData("https://book.example.com/portal")]
    [InlineData("https://book.example.com/?x=1")]
    [InlineData("https://user:pw@book.example.com")]
    public void Anything_but_an_http_origin_stops_the_app_with_the_key_named(string raw)
    {
        var error = Assert.Throws<InvalidOperationException>(() => PublicOrigin.Configured(Config((PublicOrigin.Key, raw))));
        Assert.Contains(PublicOrigin.Key, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_Development_an_instance_needs_one()
    {
        Assert.Throws<InvalidOperationException>(() => PublicOrigin.RequireOutsideDevelopment(Config(), Environment("Production")));
        PublicOrigin.RequireOutsideDevelopment(Config(), Environment("Development"));
        PublicOrigin.RequireOutsideDevelopment(Config((PublicOrigin.Key, "https://book.example.com")), Environment("Production"));
    }
}
