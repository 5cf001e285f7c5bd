using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// Review J13: the business's contact (phone and email, both optional) is set in the portal settings, answered by
/// GET /api/v1/portal/business and shown where the portal tells a client to contact the business. Review J6: the confirm
/// page shows the cancellation policy, and says what it means when the chosen time is already inside its window.
/// </summary>
public sealed class BusinessContactTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Phone = "02 9876 5432";
    private const string E164 = "+61298765432";
    private const string National = "(02) 9876 5432";
    private const string Email = "desk@contact-biz.example";

    private BookingApp App => shared.App;

    private static Action<JsonObject> WithContact(string? phone, string? email) =>
        s => s["contact"] = new JsonObject { ["phone"] = phone, ["email"] = email };

    private static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_contact_is_kept_as_E164_shown_as_the_country_writes_it_and_answered_on_the_public_business_route()
    {
        var biz = await App.SignUpBusinessAsync("contact");

        var saved = await biz.SettingsAsync(WithContact(Phone, " " + Email + " "));
        var contact = saved.GetProperty("contact");
        Assert.Equal(E164, contact.GetProperty("phone").GetString());
        Assert.Equal(National, contact.GetProperty("phoneDisplay").GetString());
        Assert.Equal(Email, contact.GetProperty("email").GetString());
        Assert.Equal(["phone", "phoneDisplay", "email"], contact.EnumerateObject().Select(p => p.Name));

        var anonymous = App.NewClient();
        var business = await (await anonymous.GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(E164, business.GetProperty("contact").GetProperty("phone").GetString());
        Assert.Equal(National, business.GetProperty("contact").GetProperty("phoneDisplay").GetString());
        Assert.Equal(Email, business.GetProperty("contact").GetProperty("email").GetString());
        // The cancellation policy carries API.md's fields only: its helpers (IsInside, TakesRequests) stay off the wire.
        Assert.Equal(["hours", "text", "insideWindow"], business.GetProperty("cancellationPolicy").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["hours", "text", "insideWindow"], saved.GetProperty("cancellationPolicy").EnumerateObject().Select(p => p.Name));

        // A PUT written before the field existed (no "contact") leaves it as it is; an empty one clears it.
        var kept = await biz.SettingsAsync(s => s.Remove("contact"));
        Assert.Equal(E164, kept.GetProperty("contact").GetProperty("phone").GetString());
        var cleared = await biz.SettingsAsync(WithContact("", null));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("contact").GetProperty("phone").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, cleared.GetProperty("contact").GetProperty("email").ValueKind);
    }

    [Theory]
    [InlineData("12", "desk@contact-biz.example", "contact.phone")]
    [InlineData("call us", null, "contact.phone")]
    [InlineData("02 9876 5432", "not an address", "contact.email")]
    public async Task A_bad_phone_or_email_is_a_validation_error_naming_the_field_and_nothing_is_saved(string phone, string? email, string field)
    {
        var biz = await App.SignUpBusinessAsync("contact");
        await biz.SettingsAsync(WithContact("0412 345 678", "before@contact-biz.example"));

        var body = JsonNode.Parse(await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!.AsObject();
        WithContact(phone, email)(body);
        body["bookingInstructions"] = "Changed with the bad contact";
        var problem = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", body)).JsonAsync(HttpStatusCode.BadRequest);

        Assert.Equal("validation", Booking.IntegrationTests.Setup.SetupApi.Kind(problem));
        Assert.Equal([field], Booking.IntegrationTests.Setup.SetupApi.ErrorFields(problem));
        var get = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("+61412345678", get.GetProperty("contact").GetProperty("phone").GetString());
        Assert.Equal("before@contact-biz.example", get.GetProperty("contact").GetProperty("email").GetString());
        Assert.NotEqual("Changed with the bad contact", get.GetProperty("bookingInstructions").GetString());
    }

    [Fact]
    public async Task The_too_late_page_and_the_appointments_list_say_how_to_reach_the_business()
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        var now = DateTimeOffset.UtcNow;
        var soon = (await client.Http.SlotsAsync(b, SchedulingApi.Day(0), SchedulingApi.Day(2))).Starts().First(s => s > now.AddHours(2));
        var id = (await (await client.BookAsync(b, Iso(soon))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await b.Biz.SettingsAsync(s =>
        {
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 24, ["text"] = "A day's notice, please.", ["insideWindow"] = "refuse" };
            WithContact(Phone, Email)(s);
        });

        var cancel = await client.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={id}");
        Assert.Equal(HttpStatusCode.OK, cancel.Status);
        Assert.Contains("too late to cancel this appointment online", cancel.Text, StringComparison.Ordinal);
        var tel = cancel.One(".problem .business-contact a[href^='tel:']");
        Assert.NotNull(tel);
        Assert.Equal("tel:" + E164, tel.GetAttribute("href"));
        Assert.Equal(National, tel.TextContent);
        Assert.Equal("mailto:" + Email, cancel.One(".problem .business-contact a[href^='mailto:']")?.GetAttribute("href"));

        Assert.Single(cancel.All(".business-contact"));

        var list = await client.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Contains("Too late to cancel online", list.Text, StringComparison.Ordinal);
        Assert.NotNull(list.One("main .business-contact a[href='tel:" + E164 + "']"));
        // Once a page: where the page asks the client to get in touch, so not again in the footer.
        Assert.Single(list.All(".business-contact"));
        Assert.Null(list.One("footer .business-contact"));
        Assert.Null(list.One("footer .foot-contact"));

        // A page that does not ask keeps it in the footer.
        var booking = await client.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}");
        Assert.Single(booking.All(".business-contact"));
        Assert.NotNull(booking.One("footer .business-contact a[href='mailto:" + Email + "']"));
    }

    [Fact]
    public async Task The_appointments_page_shows_the_contact_once_where_it_first_asks_though_it_asks_twice()
    {
        var b = await App.BookableAsync();
        var now = DateTimeOffset.UtcNow;
        await b.Biz.SettingsAsync(s =>
        {
            s["newClientsNeedApproval"] = true;
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 24, ["text"] = "A day's notice, please.", ["insideWindow"] = "refuse" };
            WithContact(Phone, Email)(s);
        });
        var client = await App.RegisterClientAsync(b.Biz);
        var soon = (await client.Http.SlotsAsync(b, SchedulingApi.Day(0), SchedulingApi.Day(2))).Starts().First(s => s > now.AddHours(2));
        await (await client.BookAsync(b, Iso(soon))).JsonAsync(HttpStatusCode.Created);
        await b.Biz.SettingsAsync(s => s["accessLevels"] = new JsonObject { ["view"] = true, ["book"] = true, ["cancel"] = false });

        var list = await client.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Contains("has not confirmed you as a client yet", list.Text, StringComparison.Ordinal);
        Assert.Contains("To cancel or change an appointment, please contact", list.Text, StringComparison.Ordinal);
        var shown = Assert.Single(list.All(".business-contact"));
        Assert.Null(shown.Closest("footer"));
        Assert.Single(list.All("a[href='tel:" + E164 + "']"));
    }

    [Fact]
    public async Task The_account_page_shows_the_contact_once_in_the_footer()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(WithContact(Phone, Email));
        var client = await App.RegisterClientAsync(b.Biz);

        var account = await client.Http.PageAsync($"/ol/account?name={b.Biz.Slug}");

        Assert.Equal(HttpStatusCode.OK, account.Status);
        Assert.NotNull(account.One($"main a[href='/ol/account/name?name={b.Biz.Slug}']")); // the client changes their own details now
        Assert.Single(account.All(".business-contact"));
        Assert.Single(account.All("a[href='mailto:" + Email + "']"));
        Assert.NotNull(account.One("footer .business-contact a[href='tel:" + E164 + "']"));
    }

    [Fact]
    public async Task A_switched_off_portal_says_how_to_reach_the_business_and_without_a_contact_nothing_stray_shows()
    {
        var biz = await App.SignUpBusinessAsync("contact");
        var anonymous = App.NewClient();
        await biz.SettingsAsync(s => s["enabled"] = false);
        var bare = await anonymous.PageAsync($"/ol/sign-in?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.Forbidden, bare.Status);
        Assert.Null(bare.One(".business-contact"));

        await biz.SettingsAsync(WithContact(null, Email));
        var off = await anonymous.PageAsync($"/ol/sign-in?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.Forbidden, off.Status);
        Assert.Contains("Please contact the business directly", off.Text, StringComparison.Ordinal);
        Assert.NotNull(off.One("main .business-contact a[href='mailto:" + Email + "']"));
        Assert.Single(off.All(".business-contact"));
        Assert.Null(off.One(".business-contact a[href^='tel:']"));
    }

    [Fact]
    public async Task The_confirm_page_shows_the_policy_and_says_what_booking_inside_its_window_means()
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        var now = DateTimeOffset.UtcNow;
        var slots = (await client.Http.SlotsAsync(b, SchedulingApi.Day(0), SchedulingApi.Day(4))).Starts();
        var soon = slots.First(s => s > now.AddHours(2) && s < now.AddHours(40));
        var later = slots.First(s => s > now.AddDays(3));
        string Url(DateTimeOffset start) => $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start={Uri.EscapeDataString(Iso(start))}";
        const string Policy = "Two days' notice, please: late cancellations are charged.";
        const string Refused = "once booked, it cannot be cancelled online.";
        const string Asked = "once booked, cancelling it will be a request the business decides.";

        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = Policy, ["insideWindow"] = "refuse" });
        var refuse = await client.Http.PageAsync(Url(soon));
        Assert.Equal(HttpStatusCode.OK, refuse.Status);
        Assert.Contains(Policy, refuse.One("form .cancellation-policy")?.TextContent ?? "", StringComparison.Ordinal);
        Assert.Contains(Refused, refuse.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Asked, refuse.Text, StringComparison.Ordinal);

        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = Policy, ["insideWindow"] = "request" });
        var request = await client.Http.PageAsync(Url(soon));
        Assert.Contains(Asked, request.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Refused, request.Text, StringComparison.Ordinal);

        // Outside the window: the policy, and no warning.
        var outside = await client.Http.PageAsync(Url(later));
        Assert.Contains(Policy, outside.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Asked, outside.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Refused, outside.Text, StringComparison.Ordinal);
    }
}
