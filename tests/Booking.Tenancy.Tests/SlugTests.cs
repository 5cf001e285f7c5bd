using Booking.BuildingBlocks.Tenancy;
using Booking.Tenancy.Domain;
using Booking.Tenancy.Features.SignUpBusiness;

namespace Booking.Tenancy.Tests;

public sealed class SlugTests
{
    [Theory]
    [InlineData("demo", "demo")]
    [InlineData("DEMO", "demo")]
    [InlineData("paws-and-claws", "paws-and-claws")]
    [InlineData("a1b", "a1b")]
    public void Well_formed_names_normalise_to_lower_case(string raw, string expected) => Assert.Equal(expected, Slug.Normalise(raw));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("-abc")]
    [InlineData("abc-")]
    [InlineData("a--b")]
    [InlineData("a_b")]
    [InlineData("a b")]
    [InlineData("caf\u00e9")]
    [InlineData("\u212Aate")] // Kelvin sign: lower-cases to an ASCII k, still refused
    [InlineData("demo\n")] // "$" would match before a final newline: a lookalike of "demo"
    [InlineData("demo\r\n")]
    public void Malformed_names_are_refused(string? raw) => Assert.Null(Slug.Normalise(raw));

    [Fact]
    public void Length_limits_are_3_and_63()
    {
        Assert.NotNull(Slug.Normalise(new string('a', 63)));
        Assert.Null(Slug.Normalise(new string('a', 64)));
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("API")]
    [InlineData("www")]
    [InlineData("hangfire")]
    public void Reserved_names_are_refused_with_their_own_message(string raw)
    {
        Assert.Contains(raw.ToLowerInvariant(), (IReadOnlySet<string>)ReservedSlugs.All);
        Assert.Equal("This name is reserved; choose another.", SlugRules.Problem(raw));
    }

    [Fact]
    public void Regions_know_zones_countries_and_currencies()
    {
        Assert.True(Regions.IsTimeZone("Australia/Sydney"));
        Assert.False(Regions.IsTimeZone("Mars/Olympus_Mons"));
        Assert.True(Regions.IsCountry("AU"));
        Assert.False(Regions.IsCountry("XX"));
        Assert.Equal("AUD", Regions.CurrencyOf("AU"));
        Assert.Equal("GBP", Regions.CurrencyOf("GB"));
    }
}
