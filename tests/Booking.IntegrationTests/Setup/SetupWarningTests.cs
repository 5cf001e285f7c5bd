using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Setup changes that shut clients out ask first on the staff pages and say what happens: switching off a diary with
/// bookings ahead (they stay; clients can no longer book it), turning phone sign-in off while some clients have only a
/// mobile (they can no longer sign in). The API is never stopped: its save answer counts the phone-only clients. The
/// portal tells "closed for now" (online booking was open before) from "not open yet".
/// </summary>
public sealed class SetupWarningTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Task<HtmlPage> SubmitDetailsAsync(TestBusiness biz, HtmlPage page, params (string Name, string Value)[] fields) =>
        biz.Owner.SubmitAsync(page, PortalHtml.Fields(fields), "form[action*='handler=Details']");

    private static async Task<JsonElement> GetAsync(TestBusiness biz, string url) =>
        await (await biz.Owner.GetAsync(new Uri(url, UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static async Task<Guid> StaffBookAsync(Bookable b, Guid client, string start) =>
        (await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId = client, serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, note = "" })).JsonAsync(HttpStatusCode.Created))
        .GetProperty("id").GetGuid();

    [Fact]
    public async Task Switching_off_a_diary_with_bookings_ahead_asks_first_keeps_them_and_the_portal_says_closed_for_now()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = "02 9876 5432", ["email"] = "desk@closed.example" });
        var noah = await App.RegisterClientAsync(b.Biz, "Noah", "New");
        var online = (await (await noah.BookAsync(b, At(Day(3), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var byStaff = await StaffBookAsync(b, noah.Id, At(Day(4), 10));
        var cancelled = await StaffBookAsync(b, noah.Id, At(Day(5), 10));
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{cancelled}/cancel", new { reason = "Moved" })).JsonAsync(HttpStatusCode.OK);
        // A client waiting for approval: their booking is a request.
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var newcomer = await App.RegisterClientAsync(b.Biz, "Nina", "Newcomer");
        var request = await (await newcomer.BookAsync(b, At(Day(6), 10))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", request.GetProperty("status").GetString());

        // Unticking Active and saving asks first, counting what is ahead (not the cancelled one); nothing is saved yet.
        var page = await b.Biz.Owner.PageAsync($"/staff/setup/roster/{b.DiaryId}");
        var asked = await SubmitDetailsAsync(b.Biz, page, ("Details.Active", "false"), ("Details.Name", "Dr Alpha (away)"));
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        var ask = asked.One("#switch-off");
        Assert.NotNull(ask);
        Assert.Equal("Switch off Dr Alpha?", ask.QuerySelector("h2")!.TextContent.Trim());
        Assert.Contains("Dr Alpha has 2 upcoming appointments and 1 booking request waiting.", ask.TextContent, StringComparison.Ordinal);
        Assert.Contains("switching the diary off cancels nothing, and the clients are not told", ask.TextContent, StringComparison.Ordinal);
        Assert.Contains("Clients will no longer be able to book Dr Alpha online", ask.TextContent, StringComparison.Ordinal);
        var diary = await GetAsync(b.Biz, $"/api/v1/admin/diaries/{b.DiaryId}");
        Assert.True(diary.GetProperty("active").GetBoolean());
        Assert.Equal("Dr Alpha", diary.GetProperty("name").GetString());

        // Confirming saves what was asked (the new name too) and says the bookings stay.
        var confirmed = await b.Biz.Owner.SubmitAsync(asked, PortalHtml.Fields(), "#switch-off form");
        Assert.Equal(HttpStatusCode.Redirect, confirmed.Status);
        var after = await b.Biz.Owner.PageAsync(confirmed.Response.Headers.Location!.OriginalString);
        Assert.Contains("Dr Alpha (away) is switched off: clients can no longer book it online", after.One("p.notice")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Its 2 upcoming appointments and 1 booking request waiting stay as they were.", after.One("p.notice")!.TextContent, StringComparison.Ordinal);
        diary = await GetAsync(b.Biz, $"/api/v1/admin/diaries/{b.DiaryId}");
        Assert.False(diary.GetProperty("active").GetBoolean());
        Assert.Equal("Dr Alpha (away)", diary.GetProperty("name").GetString());
        foreach (var (id, status) in new[] { (online, "confirmed"), (byStaff, "confirmed"), (request.GetProperty("id").GetGuid(), "requested") })
        {
            Assert.Equal(status, (await GetAsync(b.Biz, $"/api/v1/admin/appointments/{id}")).GetProperty("status").GetString());
        }

        // The portal: closed for now (it was open), not "yet", with the business's contact.
        var landing = await App.NewClient().PageAsync($"/ol/book?name={b.Biz.Slug}");
        var note = landing.One("#not-bookable");
        Assert.NotNull(note);
        Assert.NotNull(note.GetAttribute("data-closed-for-now"));
        Assert.Equal("Online booking is closed for now", note.QuerySelector("h2")!.TextContent.Trim());
        Assert.Contains($"Business {b.Biz.Slug} isn't taking new bookings online at the moment.", note.TextContent, StringComparison.Ordinal);
        Assert.Contains("please contact them:", note.TextContent, StringComparison.Ordinal);
        Assert.Contains("Phone: (02) 9876 5432", note.QuerySelector(".business-contact")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("yet", note.TextContent, StringComparison.Ordinal);

        // Switching it on again asks nothing.
        page = await b.Biz.Owner.PageAsync($"/staff/setup/roster/{b.DiaryId}");
        var on = await SubmitDetailsAsync(b.Biz, page, ("Details.Active", "true"));
        Assert.Equal(HttpStatusCode.Redirect, on.Status);
        Assert.True((await GetAsync(b.Biz, $"/api/v1/admin/diaries/{b.DiaryId}")).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task A_diary_with_nothing_ahead_switches_off_at_once_and_a_business_never_booked_online_is_not_open_yet()
    {
        var b = await App.BookableAsync();
        var noah = await App.RegisterClientAsync(b.Biz, "Noah", "New");
        // A cancelled booking is not ahead.
        var cancelled = await StaffBookAsync(b, noah.Id, At(Day(3), 10));
        await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{cancelled}/cancel", new { reason = "Moved" })).JsonAsync(HttpStatusCode.OK);

        // The service taken off the portal (the diary stays on): nothing bookable, never booked online → "not open yet".
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{b.ServiceId}", SetupApi.ServiceBody("Consultation", [b.DiaryId], bookableOnline: false)))
            .JsonAsync(HttpStatusCode.OK);
        var landing = await App.NewClient().PageAsync($"/ol/book?name={b.Biz.Slug}");
        Assert.Null(landing.One("[data-closed-for-now]"));
        Assert.Equal("Online booking isn't open yet", landing.One("#not-bookable h2")!.TextContent.Trim());

        // Back online, switching the diary off saves straight away: nothing ahead to warn of.
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{b.ServiceId}", SetupApi.ServiceBody("Consultation", [b.DiaryId])))
            .JsonAsync(HttpStatusCode.OK);
        var page = await b.Biz.Owner.PageAsync($"/staff/setup/roster/{b.DiaryId}");
        var saved = await SubmitDetailsAsync(b.Biz, page, ("Details.Active", "false"));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.False((await GetAsync(b.Biz, $"/api/v1/admin/diaries/{b.DiaryId}")).GetProperty("active").GetBoolean());
        // A diary offering an online service was switched off: closed for now.
        landing = await App.NewClient().PageAsync($"/ol/book?name={b.Biz.Slug}");
        Assert.NotNull(landing.One("[data-closed-for-now]"));
    }

    [Fact]
    public async Task A_business_whose_clients_booked_online_before_is_closed_for_now_when_nothing_is_bookable()
    {
        var b = await App.BookableAsync();
        var noah = await App.RegisterClientAsync(b.Biz, "Noah", "New");
        var online = (await (await noah.BookAsync(b, At(Day(3), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await noah.Http.CancelAsync(b.Biz.Slug, online)).JsonAsync(HttpStatusCode.OK);

        // The service taken off the portal, the diary still on: what tells "closed for now" is the online booking
        // (cancelled since, it still counts).
        await (await b.Biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{b.ServiceId}", SetupApi.ServiceBody("Consultation", [b.DiaryId], bookableOnline: false)))
            .JsonAsync(HttpStatusCode.OK);
        var landing = await noah.Http.PageAsync($"/ol/book?name={b.Biz.Slug}");
        Assert.NotNull(landing.One("[data-closed-for-now]"));
        Assert.NotNull(landing.One("main a[href^='/ol/appointments']")); // the client's own appointments are still there
        // Another business with nothing bookable and no online bookings of its own is not affected.
        var other = await App.SignUpBusinessAsync("never");
        Assert.Equal("Online booking isn't open yet", (await App.NewClient().PageAsync($"/ol/book?name={other.Slug}")).One("#not-bookable h2")!.TextContent.Trim());
    }

    private static async Task<Guid> AddClientAsync(TestBusiness biz, string first, string? email, string? mobile) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/clients", new { firstName = first, lastName = "Client", email, mobile }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static string Mobile() => "+61412" + Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static async Task<TestBusiness> PhoneBusinessAsync(BookingApp app, int phoneOnly)
    {
        var biz = await app.SignUpBusinessAsync("phone");
        await biz.SettingsAsync(s => s["signInMethods"] = new JsonObject { ["email"] = true, ["phone"] = true });
        for (var i = 0; i < phoneOnly; i++)
        {
            await AddClientAsync(biz, $"Pat{i}", null, Mobile());
        }

        await AddClientAsync(biz, "Eve", $"eve-{Guid.NewGuid():N}@client.example", Mobile()); // has an email: not counted
        await AddClientAsync(biz, "Em", $"em-{Guid.NewGuid():N}@client.example", null);
        return biz;
    }

    private static Task<HtmlPage> SubmitSettingsAsync(TestBusiness biz, HtmlPage page, params (string Name, string Value)[] fields) =>
        biz.Owner.SubmitAsync(page, PortalHtml.Fields(fields), "form[action*='handler=Settings']");

    [Fact]
    public async Task Turning_phone_sign_in_off_names_the_phone_only_clients_and_saves_only_once_confirmed()
    {
        var biz = await PhoneBusinessAsync(App, phoneOnly: 2);
        // Another business's phone-only client is not counted.
        await PhoneBusinessAsync(App, phoneOnly: 1);

        // A link made up elsewhere says nothing while phone sign-in is on.
        var page = await biz.Owner.PageAsync("/staff/setup/portal?saved=settings&lockedOut=5000");
        Assert.Null(page.One("#locked-out"));
        var asked = await SubmitSettingsAsync(biz, page, ("Settings.SignInWithPhone", "false"), ("Settings.BookingInstructions", "Bring your card."));
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        var ask = asked.One("#phone-off");
        Assert.NotNull(ask);
        Assert.Equal("Turn off phone sign-in?", ask.QuerySelector("h2")!.TextContent.Trim());
        Assert.Contains("2 clients have a mobile but no email on file.", ask.TextContent, StringComparison.Ordinal);
        Assert.Contains("they can no longer sign in to the Client Portal", ask.TextContent, StringComparison.Ordinal);
        Assert.Contains("Their appointments stay as they are", ask.TextContent, StringComparison.Ordinal);
        Assert.Equal(["Turn phone sign-in off", "Keep phone sign-in on"], ask.QuerySelectorAll("button[form='settings-form']").Select(x => x.TextContent.Trim()));
        var settings = await GetAsync(biz, "/api/v1/admin/portal-settings");
        Assert.True(settings.GetProperty("signInMethods").GetProperty("phone").GetBoolean());
        Assert.NotEqual("Bring your card.", settings.GetProperty("bookingInstructions").GetString());
        Assert.False(settings.TryGetProperty("phoneOnlyClientsLockedOut", out _)); // reads leave it out

        // "Turn phone sign-in off": the form as the page showed it again (the changes kept), with the button's value.
        var saved = await SubmitSettingsAsync(biz, asked, ("ConfirmPhoneOff", "true"));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal("/staff/setup/portal?saved=settings&lockedOut=2", saved.Response.Headers.Location!.OriginalString);
        settings = await GetAsync(biz, "/api/v1/admin/portal-settings");
        Assert.False(settings.GetProperty("signInMethods").GetProperty("phone").GetBoolean());
        Assert.Equal("Bring your card.", settings.GetProperty("bookingInstructions").GetString());
        var after = await biz.Owner.PageAsync("/staff/setup/portal?saved=settings&lockedOut=2");
        Assert.Contains("Phone sign-in is off, so 2 clients with only a mobile on file can no longer sign in", after.One("#locked-out")!.TextContent, StringComparison.Ordinal);

        // The client pages no longer promise phone sign-in.
        var clients = await biz.Owner.PageAsync("/staff/clients");
        Assert.Contains("Phone sign-in is off", clients.One("#add-sign-in-help")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("sign in by phone", clients.One("#add-sign-in-help")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("As you write it locally, or with + and the country code. Phone sign-in is off (Setup → Client Portal), so the client cannot sign in with it.",
            clients.One("#c-mobile-hint")!.TextContent.Trim());
        var id = await AddClientAsync(biz, "Max", null, Mobile());
        var detail = await biz.Owner.PageAsync($"/staff/clients/{id}");
        Assert.Contains("Phone sign-in is off", detail.One("#edit-sign-in-help")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("cannot sign in with it", detail.One("#c-mobile-hint")!.TextContent, StringComparison.Ordinal);

        // Saving again with phone sign-in already off asks nothing.
        page = await biz.Owner.PageAsync("/staff/setup/portal");
        var again = await SubmitSettingsAsync(biz, page, ("Settings.BookingInstructions", "Bring your card, please."));
        Assert.Equal(HttpStatusCode.Redirect, again.Status);
        Assert.Equal("/staff/setup/portal?saved=settings", again.Response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Keeping_phone_sign_in_on_saves_the_other_changes_and_the_help_text_speaks_of_phone_sign_in_while_it_is_on()
    {
        var biz = await PhoneBusinessAsync(App, phoneOnly: 1);
        var clients = await biz.Owner.PageAsync("/staff/clients");
        Assert.Contains("They can sign in by phone with the mobile you enter", clients.One("#add-sign-in-help")!.TextContent, StringComparison.Ordinal);
        Assert.EndsWith("The client can sign in with it by phone.", clients.One("#c-mobile-hint")!.TextContent.Trim(), StringComparison.Ordinal);

        var asked = await SubmitSettingsAsync(biz, await biz.Owner.PageAsync("/staff/setup/portal"),
            ("Settings.SignInWithPhone", "false"), ("Settings.BookingInstructions", "Park at the back."));
        Assert.Contains("1 client has a mobile but no email on file.", asked.One("#phone-off")!.TextContent, StringComparison.Ordinal);

        var kept = await SubmitSettingsAsync(biz, asked, ("KeepPhoneOn", "true"));
        Assert.Equal(HttpStatusCode.Redirect, kept.Status);
        Assert.Equal("/staff/setup/portal?saved=settings", kept.Response.Headers.Location!.OriginalString);
        var settings = await GetAsync(biz, "/api/v1/admin/portal-settings");
        Assert.True(settings.GetProperty("signInMethods").GetProperty("phone").GetBoolean());
        Assert.Equal("Park at the back.", settings.GetProperty("bookingInstructions").GetString());
    }

    [Fact]
    public async Task The_api_turns_phone_sign_in_off_without_asking_and_its_answer_counts_the_phone_only_clients()
    {
        var biz = await PhoneBusinessAsync(App, phoneOnly: 3);
        await PhoneBusinessAsync(App, phoneOnly: 2);

        var off = await biz.SettingsAsync(s => s["signInMethods"]!["phone"] = false);
        Assert.False(off.GetProperty("signInMethods").GetProperty("phone").GetBoolean());
        Assert.Equal(3, off.GetProperty("phoneOnlyClientsLockedOut").GetInt32());

        var on = await biz.SettingsAsync(s => s["signInMethods"]!["phone"] = true);
        Assert.Equal(0, on.GetProperty("phoneOnlyClientsLockedOut").GetInt32());
        Assert.False((await GetAsync(biz, "/api/v1/admin/portal-settings")).TryGetProperty("phoneOnlyClientsLockedOut", out _));
    }
}
