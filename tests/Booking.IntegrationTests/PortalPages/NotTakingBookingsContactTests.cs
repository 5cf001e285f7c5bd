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

    /// <summary>
    /// Decision 355: the sign-in page's "New here? Create an account" and the phone page's "New clients start here too"
    /// follow the landing's rule: only where a newcomer could go on to book. A business with nothing bookable offers
    /// neither; a bookable one offers both.
    /// </summary>
    [Fact]
    public async Task Sign_in_and_phone_pages_invite_newcomers_only_where_something_can_be_booked()
    {
        var biz = await App.SignUpBusinessAsync("s43-nothing");
        await biz.SettingsAsync(s =>
        {
            s["contact"] = new JsonObject { ["phone"] = null, ["email"] = null };
            s["signInMethods"] = new JsonObject { ["email"] = true, ["phone"] = true };
        });
        var visitor = App.NewClient();
        var signIn = await visitor.PageAsync($"/ol/sign-in?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, signIn.Status);
        Assert.NotNull(signIn.One("main form input[type=password]"));
        AssertNoRegistration(signIn);
        var phone = await visitor.PageAsync($"/ol/phone?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, phone.Status);
        Assert.DoesNotContain("New clients start here too", phone.Text, StringComparison.Ordinal);

        var bookable = await App.BookableAsync();
        await bookable.Biz.SettingsAsync(s => s["signInMethods"] = new JsonObject { ["email"] = true, ["phone"] = true });
        var open = await visitor.PageAsync($"/ol/sign-in?name={bookable.Biz.Slug}");
        Assert.Equal("Create an account", open.One("main a[href^='/ol/register']")?.TextContent.Trim());
        Assert.Contains("New clients start here too", (await visitor.PageAsync($"/ol/phone?name={bookable.Biz.Slug}")).Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// Decision 355: a switched-off portal (the landing, and the refusal page any other portal page shows) says "Please
    /// contact the business directly." only with the contact under it; without one it sends the client nowhere.
    /// </summary>
    [Fact]
    public async Task A_switched_off_portal_asks_clients_to_contact_the_business_only_with_a_contact_to_show()
    {
        var biz = await App.SignUpBusinessAsync("s43-off");
        var name = $"Business {biz.Slug}";
        await biz.SettingsAsync(s =>
        {
            s["enabled"] = false;
            s["contact"] = new JsonObject { ["phone"] = null, ["email"] = null };
        });
        var visitor = App.NewClient();

        var landing = await visitor.PageAsync($"/ol/book?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, landing.Status);
        Assert.Equal($"{name} is not taking bookings online at the moment. {name} hasn't given a phone number or email address here, so please check this page again later.",
            landing.One("#portal-off")?.TextContent.Trim());
        Assert.DoesNotContain("contact", landing.One("main")!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Null(landing.One(".business-contact"));
        foreach (var path in new[] { "/ol/sign-in", "/ol/register", "/ol/new-booking" })
        {
            var gate = await visitor.PageAsync($"{path}?name={biz.Slug}");
            Assert.Equal(HttpStatusCode.Forbidden, gate.Status);
            Assert.Contains("hasn't given a phone number or email address here", gate.One("main")!.TextContent, StringComparison.Ordinal);
            Assert.DoesNotContain("contact", gate.One("main")!.TextContent, StringComparison.OrdinalIgnoreCase);
        }

        await biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = "02 9876 5432", ["email"] = null });
        var reachable = await visitor.PageAsync($"/ol/book?name={biz.Slug}");
        Assert.Equal($"{name} is not taking bookings online at the moment. Please contact the business directly.", reachable.One("#portal-off")?.TextContent.Trim());
        Assert.Contains("Phone: (02) 9876 5432", reachable.One("main .business-contact")?.TextContent, StringComparison.Ordinal);
        var gated = await visitor.PageAsync($"/ol/register?name={biz.Slug}");
        Assert.Contains("Please contact the business directly.", gated.One("main")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(gated.One("main .business-contact a[href^='tel:']"));
    }

    private static void AssertNoRegistration(HtmlPage page)
    {
        Assert.Null(page.One("a[href^='/ol/register']"));
        Assert.DoesNotContain("New here?", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Create an account", page.Text, StringComparison.Ordinal);
    }
}
