using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// A business whose zone is an alias tzdb knows ("Asia/Calcutta", "US/Eastern"), which sign-up accepts (decision 240):
/// Setup → Business details shows it chosen, as itself, saves it unchanged without asking, and takes its own zone's
/// name without asking either (the same clock). Sign-up and the details' PUT take the same ids.
/// </summary>
public sealed class AliasTimeZoneTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private static Task<HtmlPage> SaveAsync(TestBusiness biz, HtmlPage page, params (string Name, string Value)[] fields) =>
        biz.Owner.SubmitAsync(page, PortalHtml.Fields(fields), "#details-form");

    private static async Task<string> StoredZoneAsync(TestBusiness biz) =>
        (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/business", UriKind.Relative))).JsonAsync(HttpStatusCode.OK)).GetProperty("timeZone").GetString()!;

    [Fact]
    public async Task A_business_signed_up_with_an_alias_sees_it_chosen_saves_it_unchanged_and_may_take_its_zone_s_name_without_being_asked()
    {
        var biz = await shared.App.SignUpBusinessAsync("alias-zone", "Asia/Calcutta", "IN");
        Assert.Equal("Asia/Calcutta", await StoredZoneAsync(biz));

        var page = await biz.Owner.PageAsync("/staff/setup/business");
        var chosen = page.One("#Input_TimeZone option[selected]");
        Assert.NotNull(chosen);
        Assert.Equal("Asia/Calcutta", chosen.GetAttribute("value"));
        Assert.Equal("Asia/Calcutta (the same as Asia/Kolkata)", chosen.TextContent.Trim());
        Assert.Single(page.All("#Input_TimeZone option[value='Asia/Kolkata']"));

        // Saved as it is (a new name only): no question, the zone stays.
        var renamed = await SaveAsync(biz, page, ("Input.Name", "Calcutta Clinic"));
        Assert.Equal(HttpStatusCode.Redirect, renamed.Status);
        Assert.Equal("Asia/Calcutta", await StoredZoneAsync(biz));
        var after = await biz.Owner.PageAsync("/staff/setup/business");
        Assert.DoesNotContain("Times are now shown", after.One("p.notice")!.TextContent, StringComparison.Ordinal);

        // The zone's own name is the same clock: saved without the time zone question, and said so.
        var canonical = await SaveAsync(biz, after, ("Input.TimeZone", "Asia/Kolkata"));
        Assert.Equal(HttpStatusCode.Redirect, canonical.Status);
        Assert.Equal("Asia/Kolkata", await StoredZoneAsync(biz));
        after = await biz.Owner.PageAsync("/staff/setup/business");
        Assert.Contains("Your time zone is now called Asia/Kolkata: the same clock as Asia/Calcutta, so no time changes.", after.One("p.notice")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(after.All("#Input_TimeZone option[value='Asia/Calcutta']"));
        Assert.Equal("Asia/Kolkata", after.One("#Input_TimeZone option[selected]")!.GetAttribute("value"));

        // Another zone is still asked about first.
        var asked = await SaveAsync(biz, after, ("Input.TimeZone", "Asia/Dhaka"));
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.NotNull(asked.One("#zone-change"));
        Assert.Equal("Asia/Kolkata", await StoredZoneAsync(biz));
    }

    [Fact]
    public async Task An_old_style_alias_is_listed_beside_its_zone_and_sign_up_and_the_details_put_take_the_same_ids()
    {
        var biz = await shared.App.SignUpBusinessAsync("alias-zone", "US/Eastern", "US");
        var page = await biz.Owner.PageAsync("/staff/setup/business");
        Assert.Equal("US/Eastern (the same as America/New York)", page.One("#Input_TimeZone option[selected]")!.TextContent.Trim());
        var saved = await SaveAsync(biz, page);
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal("US/Eastern", await StoredZoneAsync(biz));

        // The PUT takes an alias as sign-up does, and refuses what sign-up refuses, with sign-up's words.
        var put = await biz.Owner.PutAsJsonAsync("/api/v1/admin/business", new { name = "Eastern", timeZone = "Asia/Calcutta", countryCode = "IN" });
        Assert.Equal("Asia/Calcutta", (await put.JsonAsync(HttpStatusCode.OK)).GetProperty("timeZone").GetString());
        foreach (var zone in new[] { "us/eastern", "Asia/Kolkata ", "EST5EDT-ish" })
        {
            var refused = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/business", new { name = "Eastern", timeZone = zone, countryCode = "IN" })).JsonAsync(HttpStatusCode.BadRequest);
            var said = refused.GetProperty("errors").GetProperty("timeZone")[0].GetString();
            var signUp = await shared.App.NewClient().PostAsJsonAsync("/api/v1/tenants", new
            {
                slug = $"alias-{Guid.NewGuid().ToString("N")[..10]}",
                name = "Alias",
                timeZone = zone,
                countryCode = "IN",
                owner = new { name = "Olive Owner", email = $"o-{Guid.NewGuid():N}@alias.example", password = TestBusiness.OwnerPassword },
            });
            var signUpSaid = (await signUp.JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors").GetProperty("timeZone")[0].GetString();
            Assert.Equal(said, signUpSaid);
        }

        Assert.Equal("Asia/Calcutta", await StoredZoneAsync(biz));
    }
}
