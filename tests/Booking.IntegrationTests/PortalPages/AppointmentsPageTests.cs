using System.Net;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Features.Sessions;
using Microsoft.AspNetCore.Authentication;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>The signed-in chrome and the appointments list: the password link, and cancel links that follow the policy.</summary>
public sealed class AppointmentsPageTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task The_password_link_shows_only_for_a_client_who_has_a_password()
    {
        var biz = await App.SignUpBusinessAsync("pwd");
        var withPassword = await App.RegisterClientAsync(biz);
        var page = await withPassword.Http.PageAsync($"/ol/appointments?name={biz.Slug}");
        Assert.Contains(page.All("nav a"), a => a.GetAttribute("href")!.StartsWith("/ol/change-password", StringComparison.Ordinal));

        var phoneOnly = await App.VerifiedUnknownPhoneAsync(biz);
        var created = await phoneOnly.NewClientAsync(biz.Slug, new { firstName = "Pat", lastName = "Phone" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        // A new client has the portal once their first booking request is filed (NewClientAccessTests); as if it were.
        await Sql.AdminExecAsync(App.Database.Database, "update portalauth.clients set awaiting_first_request = false where id = @id::uuid",
            ("id", (await created.JsonAsync()).GetProperty("id").GetString()!));
        var phonePage = await phoneOnly.PageAsync($"/ol/appointments?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, phonePage.Status);
        Assert.NotEmpty(phonePage.All("nav a"));
        Assert.DoesNotContain(phonePage.All("nav a"), a => a.GetAttribute("href")!.StartsWith("/ol/change-password", StringComparison.Ordinal));
        var change = await phoneOnly.PageAsync($"/ol/change-password?name={biz.Slug}");
        Assert.Null(change.One("input[name='Input.CurrentPassword']"));
        Assert.Contains("no password", change.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_session_says_whether_there_is_a_password_and_one_begun_before_it_did_asks_the_row()
    {
        var biz = await App.SignUpBusinessAsync("pwd");
        var client = await App.RegisterClientAsync(biz);
        var url = $"/ol/appointments?name={biz.Slug}";
        using var trips = new RoundTrips();

        // Signed in with a password: the session says so, and the page asks nothing about it.
        var (trace, header) = RoundTrips.NewTrace();
        var page = await client.Http.PageAsync(url, header);
        Assert.Contains(page.All("nav a"), a => a.GetAttribute("href")!.StartsWith("/ol/change-password", StringComparison.Ordinal));
        Assert.DoesNotContain(trips.Of(trace), t => t.Contains("password_hash IS NOT NULL", StringComparison.Ordinal));

        // A session stored before sessions said it (its ticket without the claim): the page asks the row, as it used to.
        var stored = (await Sql.AdminScalarAsync<byte[]>(App.Database.Database,
            "select ticket from platform.auth_sessions where subject_id = @id", ("id", client.Id)))!;
        var ticket = TicketSerializer.Default.Deserialize(stored)!;
        var identity = new ClaimsIdentity(ticket.Principal.Claims.Where(c => c.Type != PortalSessions.HasPasswordClaim).Select(c => new Claim(c.Type, c.Value)),
            ticket.Principal.Identity!.AuthenticationType, BookingClaims.Name, BookingClaims.Role);
        Assert.NotEqual(ticket.Principal.Claims.Count(), identity.Claims.Count());
        await Sql.AdminExecAsync(App.Database.Database, "update platform.auth_sessions set ticket = @t where subject_id = @id",
            ("t", TicketSerializer.Default.Serialize(new AuthenticationTicket(new ClaimsPrincipal(identity), ticket.Properties, ticket.AuthenticationScheme))), ("id", client.Id));
        (trace, header) = RoundTrips.NewTrace();
        page = await client.Http.PageAsync(url, header);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains(page.All("nav a"), a => a.GetAttribute("href")!.StartsWith("/ol/change-password", StringComparison.Ordinal));
        Assert.Contains(trips.Of(trace), t => t.Contains("password_hash IS NOT NULL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_cancel_link_follows_the_policy_cancel_ask_to_cancel_or_too_late()
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        var other = await App.RegisterClientAsync(b.Biz, "Olive");
        var now = DateTimeOffset.UtcNow;
        var slots = (await client.Http.SlotsAsync(b, SchedulingApi.Day(0), SchedulingApi.Day(4))).Starts();
        var soon = slots.First(s => s > now.AddHours(2));
        var later = slots.First(s => s > now.AddDays(3));

        // Each booking is held to the policy it was made under (decision 270): the policy is set before booking.
        async Task BookAsync(PortalClient who, params DateTimeOffset[] starts)
        {
            foreach (var start in starts)
            {
                var iso = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);
                Assert.Equal(HttpStatusCode.Created, (await who.BookAsync(b, iso)).StatusCode);
            }
        }

        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 24, ["text"] = "24 hours' notice, please.", ["insideWindow"] = "request" });
        await BookAsync(client, soon, later);
        var page = await client.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Equal(["Ask to cancel", "Cancel"], Offers(page));

        await b.Biz.SettingsAsync(s => s["cancellationPolicy"] = new JsonObject { ["hours"] = 24, ["text"] = "24 hours' notice, please.", ["insideWindow"] = "refuse" });
        await BookAsync(other, slots.First(s => s >= soon.AddHours(2)), slots.First(s => s >= later.AddHours(2))); // clear of the first's hour and buffer
        page = await other.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Equal(["Too late to cancel online", "Cancel"], Offers(page));
        // Under the list, once: the window those were booked under, not "Too late …?" again (review s42 #11); this business gave
        // no phone, email or address, so no "contact Business X" but the one line saying so (decision 359).
        Assert.Equal("Online cancelling closes 24 hours before an appointment's start.", page.One("#too-late-contact")!.TextContent);
        Assert.Equal($"Business {b.Biz.Slug} hasn't given a phone number or email address here.", page.One("#no-contact")?.TextContent);
        Assert.Single(page.All("#upcoming ~ ul a.cancel, .appointment a[href*='/ol/cancel']"));
        // The first client's bookings keep "ask" inside the window.
        Assert.Equal(["Ask to cancel", "Cancel"], Offers(await client.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}")));
    }

    /// <summary>Per upcoming appointment, in order: the cancel link's text, or the too-late note.</summary>
    private static List<string> Offers(HtmlPage page) =>
        page.All(".appointment").Where(li => li.Closest("section")!.QuerySelector("#upcoming") is not null)
            .Select(li => li.QuerySelector("a[href*='/ol/cancel']")?.ChildNodes[0].TextContent ?? li.QuerySelector(".too-late")?.TextContent ?? "(none)")
            .ToList();
}
