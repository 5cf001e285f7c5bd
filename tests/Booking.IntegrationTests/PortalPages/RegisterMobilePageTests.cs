using System.Net;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// /ol/register with a mobile another client has and with a free one: the same way on, the same "verify your mobile"
/// notice once on the next page, the same Your details; nothing written to the number's holder.
/// </summary>
public sealed class RegisterMobilePageTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    [Fact]
    public async Task Registering_on_the_page_with_a_mobile_on_file_looks_the_same_as_with_a_free_one_and_leaves_its_holder_alone()
    {
        var biz = await fixture.App.SignUpBusinessAsync("regm");
        var (taken, free) = (PortalAuthHelpers.NewMobile(), PortalAuthHelpers.NewMobile());
        var holder = await fixture.NewClient().JoinByPhoneAsync(biz.Slug, taken);

        var withTaken = await RegisterOnThePageAsync(biz.Slug, "0" + taken[3..]);
        var withFree = await RegisterOnThePageAsync(biz.Slug, "0" + free[3..]);

        Assert.Equal(withFree.Location, withTaken.Location);
        Assert.Equal($"/ol/new-booking?name={biz.Slug}", withFree.Location);
        Assert.Equal(withFree.Notice, withTaken.Notice);
        Assert.Contains("verify it first under Your details", withFree.Notice, StringComparison.Ordinal);
        Assert.Equal(withFree.Details, withTaken.Details);
        Assert.Contains("None verified", withFree.Details, StringComparison.Ordinal);
        Assert.Equal(withFree.MobileBox, withTaken.MobileBox);
        Assert.True(string.IsNullOrEmpty(withFree.MobileBox));

        // The holder keeps the number, verified; the registrant with it has none; the free one is kept as a claim.
        Assert.Equal(taken, await Sql.AdminScalarAsync<string>(fixture.App.Database.Database,
            "select mobile from portalauth.clients where id = @i::uuid and mobile_verified", ("i", holder)));
        Assert.Null(await Sql.AdminScalarAsync<string?>(fixture.App.Database.Database,
            "select mobile from portalauth.clients where email = @e", ("e", withTaken.Email)));
        Assert.Equal(free, await Sql.AdminScalarAsync<string>(fixture.App.Database.Database,
            "select mobile from portalauth.clients where email = @e and not mobile_verified", ("e", withFree.Email)));
    }

    [Fact]
    public async Task The_register_page_says_how_a_mobile_becomes_one_to_sign_in_with_and_without_a_mobile_says_nothing_after()
    {
        var biz = await fixture.App.SignUpBusinessAsync("regm");
        var form = await fixture.NewClient().PageAsync($"/ol/register?name={biz.Slug}");
        Assert.Contains("verify it under Your details", form.One("#mobile-hint")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("mobile-hint mobile-error", form.One("input[name='Input.Mobile']")!.GetAttribute("aria-describedby"));

        var without = await RegisterOnThePageAsync(biz.Slug, "");
        Assert.Null(without.Notice);
    }

    private async Task<Registered> RegisterOnThePageAsync(string slug, string mobile)
    {
        var http = fixture.NewClient();
        var email = PortalAuthHelpers.NewEmail();
        var form = await http.PageAsync($"/ol/register?name={slug}");
        var done = await http.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", "Rae"), ("Input.LastName", "Client"), ("Input.Email", email),
            ("Input.Mobile", mobile), ("Input.Password", PortalAuthHelpers.Password)));
        Assert.Equal(HttpStatusCode.Redirect, done.Status);
        var location = done.Response.Headers.Location!.OriginalString;

        var next = await http.PageAsync(location);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        var notice = next.One("#verify-mobile [role=status]")?.TextContent.Trim();
        if (notice is not null)
        {
            Assert.Equal($"/ol/account/mobile?name={slug}", next.One("#verify-mobile a")!.GetAttribute("href"));
            Assert.Null((await http.PageAsync(location)).One("#verify-mobile")); // said once
        }

        var details = (await http.PageAsync($"/ol/account?name={slug}")).One("main")!.TextContent.Replace(email, "EMAIL", StringComparison.Ordinal);
        var box = (await http.PageAsync($"/ol/account/mobile?name={slug}")).One("input[name='Input.Mobile']")!.GetAttribute("value");
        return new Registered(email, location, notice, details, box);
    }

    private sealed record Registered(string Email, string Location, string? Notice, string Details, string? MobileBox);
}
