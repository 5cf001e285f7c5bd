using System.Net;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// s42 review #6: a business not yet taking bookings. The portal gives its contact where it has one; without one it
/// does not say "please contact them directly" with nothing to contact them by, and it does not offer "Create an
/// account", which would lead nowhere. Signing in stays offered (staff may have added clients).
/// </summary>
public sealed class NotTakingBookingsContactTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task Without_a_phone_or_email_the_portal_says_so_and_does_not_offer_registration()
    {
        var biz = await App.SignUpBusinessAsync("s42-nocontact");
        await biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = null, ["email"] = null });
        var visitor = App.NewClient();

        var landing = await visitor.PageAsync($"/ol/book?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, landing.Status);
        var note = landing.One("#not-bookable p.not-bookable");
        Assert.NotNull(note);
        Assert.Equal(
            $"Business {biz.Slug} isn't taking online bookings at the moment. Business {biz.Slug} hasn't given a phone number or email address here, so please check this page again later.",
            note.TextContent.Trim());
        Assert.DoesNotContain("contact them", landing.Text, StringComparison.Ordinal);
        Assert.Null(landing.One(".business-contact"));
        AssertNoRegistration(landing);
        Assert.NotNull(landing.One("main a[href^='/ol/sign-in']"));

        var booking = await visitor.PageAsync($"/ol/new-booking?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, booking.Status);
        Assert.Contains("hasn't given a phone number or email address here,", booking.One("p.not-bookable")?.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("contact them", booking.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_phone_and_email_the_portal_gives_them_and_does_not_offer_registration()
    {
        var biz = await App.SignUpBusinessAsync("s42-contact");
        await biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = "02 9876 5432", ["email"] = "desk@groom.example" });
        var visitor = App.NewClient();

        var landing = await visitor.PageAsync($"/ol/book?name={biz.Slug}");
        var note = landing.One("#not-bookable p.not-bookable");
        Assert.NotNull(note);
        Assert.EndsWith("To book an appointment, please contact them:", note.TextContent.Trim(), StringComparison.Ordinal);
        var contact = note.NextElementSibling;
        Assert.Equal("business-contact", contact?.ClassName);
        Assert.Contains("Phone: (02) 9876 5432", contact!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Email: desk@groom.example", contact.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("hasn't given", landing.Text, StringComparison.Ordinal);
        AssertNoRegistration(landing);
    }

    private static void AssertNoRegistration(HtmlPage page)
    {
        Assert.Null(page.One("a[href^='/ol/register']"));
        Assert.DoesNotContain("New here?", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Create an account", page.Text, StringComparison.Ordinal);
    }
}
