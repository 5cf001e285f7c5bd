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
        // Switching off moves nothing: the ask says each appointment can be moved (decision 282) or cancelled.
        Assert.Contains("To move or cancel them, open the diary, then each appointment: it can move to another time or diary (the client is told the new time), or be cancelled", ask.TextContent, StringComparison.Ordinal);
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

    /// <summary>
    /// A business with both sign-ins on and <paramref name="emailOnly"/> clients with an email and no mobile, plus one
    /// who registered with a mobile never proven (also email-only: phone sign-in does not know that number), and two
    /// who are not: one with an email and a mobile staff put on file, one with only a mobile.
    /// </summary>
    private static async Task<TestBusiness> EmailBusinessAsync(BookingApp app, int emailOnly)
    {
        var biz = await app.SignUpBusinessAsync("email");
        await biz.SettingsAsync(s => s["signInMethods"] = new JsonObject { ["email"] = true, ["phone"] = true });
        for (var i = 0; i < emailOnly; i++)
        {
            await AddClientAsync(biz, $"Ed{i}", $"ed{i}-{Guid.NewGuid():N}@client.example", null);
        }

        await app.RegisterClientAsync(biz, "Rae", "Registered"); // typed a mobile at registration, never proved it
        await AddClientAsync(biz, "Eve", $"eve-{Guid.NewGuid():N}@client.example", Mobile()); // a mobile on file: not counted
        await AddClientAsync(biz, "Pat", null, Mobile());
        return biz;
    }

    [Fact]
    public async Task Turning_email_sign_in_off_names_the_email_only_clients_saves_only_once_confirmed_and_the_portal_says_how_to_sign_in()
    {
        var biz = await EmailBusinessAsync(App, emailOnly: 2);
        // Another business's email-only clients are not counted.
        await EmailBusinessAsync(App, emailOnly: 1);

        // A link made up elsewhere says nothing while email sign-in is on.
        var page = await biz.Owner.PageAsync("/staff/setup/portal?saved=settings&emailLockedOut=5000");
        Assert.Null(page.One("#email-locked-out"));
        var asked = await SubmitSettingsAsync(biz, page, ("Settings.SignInWithEmail", "false"), ("Settings.BookingInstructions", "Bring your card."));
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.Null(asked.One("#phone-off"));
        var ask = asked.One("#email-off");
        Assert.NotNull(ask);
        Assert.Equal("Turn off email sign-in?", ask.QuerySelector("h2")!.TextContent.Trim());
        Assert.Contains("3 clients have an email but no mobile to sign in with", ask.TextContent, StringComparison.Ordinal);
        Assert.Contains("they can no longer sign in to the Client Portal", ask.TextContent, StringComparison.Ordinal);
        Assert.Contains("Their appointments stay as they are", ask.TextContent, StringComparison.Ordinal);
        Assert.Equal(["Turn email sign-in off", "Keep email sign-in on"], ask.QuerySelectorAll("button[form='settings-form']").Select(x => x.TextContent.Trim()));
        var settings = await GetAsync(biz, "/api/v1/admin/portal-settings");
        Assert.True(settings.GetProperty("signInMethods").GetProperty("email").GetBoolean());
        Assert.NotEqual("Bring your card.", settings.GetProperty("bookingInstructions").GetString());
        Assert.False(settings.TryGetProperty("emailOnlyClientsLockedOut", out _)); // reads leave it out

        var saved = await SubmitSettingsAsync(biz, asked, ("ConfirmEmailOff", "true"));
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        Assert.Equal("/staff/setup/portal?saved=settings&emailLockedOut=3", saved.Response.Headers.Location!.OriginalString);
        settings = await GetAsync(biz, "/api/v1/admin/portal-settings");
        Assert.False(settings.GetProperty("signInMethods").GetProperty("email").GetBoolean());
        Assert.True(settings.GetProperty("signInMethods").GetProperty("phone").GetBoolean());
        Assert.Equal("Bring your card.", settings.GetProperty("bookingInstructions").GetString());
        var after = await biz.Owner.PageAsync("/staff/setup/portal?saved=settings&emailLockedOut=3");
        Assert.Contains("Email sign-in is off, so 3 clients with no mobile to sign in with can no longer sign in", after.One("#email-locked-out")!.TextContent, StringComparison.Ordinal);

        // The client pages say the email is no way in now.
        var clients = await biz.Owner.PageAsync("/staff/clients");
        Assert.Contains("Email sign-in is off", clients.One("#add-sign-in-help")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("cannot sign in with it", clients.One("#c-email-hint")!.TextContent, StringComparison.Ordinal);
        var id = await AddClientAsync(biz, "Max", $"max-{Guid.NewGuid():N}@client.example", null);
        var detail = await biz.Owner.PageAsync($"/staff/clients/{id}");
        Assert.Contains("Email sign-in is off", detail.One("#edit-sign-in-help")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("The email is the one the client signs in with", detail.One("#edit-sign-in-help")!.TextContent, StringComparison.Ordinal);

        // The portal says how to sign in instead, on the landing page, the phone page and an old email sign-in link.
        var portal = App.NewClient();
        var landing = await portal.PageAsync($"/ol/book?name={biz.Slug}");
        Assert.Null(landing.One($"main a[href^='/ol/sign-in']"));
        Assert.Contains("Signing in with your email and password is not offered at the moment: sign in with your mobile", landing.One("#method-off")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"ask Business {biz.Slug} to add it first", landing.One("#method-off")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull((await portal.PageAsync($"/ol/phone?name={biz.Slug}")).One("#method-off"));
        var old = await portal.PageAsync($"/ol/sign-in?name={biz.Slug}&returnUrl=%2Fol%2Fappointments%3Fname%3D{biz.Slug}");
        Assert.Equal(HttpStatusCode.Forbidden, old.Status);
        // Said once: not "does not offer sign-in by email…" and then "Signing in with your email… is not offered" again.
        Assert.DoesNotContain("does not offer sign-in by email and password", old.Text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(old.Text, "is not offered at the moment"));
        Assert.Contains("Signing in with your email and password is not offered at the moment: sign in with your mobile and a code by SMS", old.Text, StringComparison.Ordinal);

        // The register page speaks to a new visitor: start with the mobile as a new client, not "if you used to sign in".
        var register = await portal.PageAsync($"/ol/register?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.Forbidden, register.Status);
        Assert.Contains($"Business {biz.Slug} does not offer accounts with an email and password at the moment. New clients start with their mobile number", register.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("If you used to sign in", register.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("is not offered at the moment", register.Text, StringComparison.Ordinal);
        Assert.Equal($"/ol/phone?name={biz.Slug}", register.One("#sign-in-instead")!.GetAttribute("href"));
        Assert.Equal("Start with your mobile", register.One("#sign-in-instead")!.TextContent.Trim());
        Assert.Equal($"/ol/phone?name={biz.Slug}&returnUrl=%2Fol%2Fappointments%3Fname%3D{biz.Slug}", old.One("#sign-in-instead")!.GetAttribute("href"));

        // Saving again with email sign-in already off asks nothing.
        var again = await SubmitSettingsAsync(biz, await biz.Owner.PageAsync("/staff/setup/portal"), ("Settings.BookingInstructions", "Bring your card, please."));
        Assert.Equal(HttpStatusCode.Redirect, again.Status);
        Assert.Equal("/staff/setup/portal?saved=settings", again.Response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Both_sign_ins_off_is_refused_naming_sign_in_methods_and_keeping_email_on_saves_the_other_changes()
    {
        var biz = await EmailBusinessAsync(App, emailOnly: 1);

        // The page: both unticked asks nothing (it cannot be saved) and says why, on the sign-in boxes; nothing is saved.
        var refused = await SubmitSettingsAsync(biz, await biz.Owner.PageAsync("/staff/setup/portal"),
            ("Settings.SignInWithEmail", "false"), ("Settings.SignInWithPhone", "false"), ("Settings.BookingInstructions", "No way in."));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Null(refused.One("#email-off"));
        Assert.Null(refused.One("#phone-off"));
        Assert.Equal(Booking.Host.Pages.Staff.Setup.PortalModel.SettingsInput.PageBothSignInMethodsOff, refused.One("#sign-in-error")!.TextContent.Trim());
        var settings = await GetAsync(biz, "/api/v1/admin/portal-settings");
        Assert.True(settings.GetProperty("signInMethods").GetProperty("email").GetBoolean());
        Assert.True(settings.GetProperty("signInMethods").GetProperty("phone").GetBoolean());
        Assert.NotEqual("No way in.", settings.GetProperty("bookingInstructions").GetString());

        // The API: 400 validation on signInMethods, nothing saved.
        var body = JsonNode.Parse(await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!.AsObject();
        body["signInMethods"] = new JsonObject { ["email"] = false, ["phone"] = false };
        body["bookingInstructions"] = "No way in.";
        var problem = await (await biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", body)).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(
            "Clients need at least one way to sign in: keep email or phone sign-in on. To close the portal to clients, set enabled to false instead.",
            problem.GetProperty("errors").GetProperty("signInMethods")[0].GetString());
        Assert.NotEqual("No way in.", (await GetAsync(biz, "/api/v1/admin/portal-settings")).GetProperty("bookingInstructions").GetString());

        // "Keep email sign-in on" saves the rest with email still on.
        var asked = await SubmitSettingsAsync(biz, await biz.Owner.PageAsync("/staff/setup/portal"),
            ("Settings.SignInWithEmail", "false"), ("Settings.BookingInstructions", "Park at the back."));
        Assert.Contains("2 clients have an email but no mobile to sign in with", asked.One("#email-off")!.TextContent, StringComparison.Ordinal);
        var kept = await SubmitSettingsAsync(biz, asked, ("KeepEmailOn", "true"));
        Assert.Equal(HttpStatusCode.Redirect, kept.Status);
        Assert.Equal("/staff/setup/portal?saved=settings", kept.Response.Headers.Location!.OriginalString);
        settings = await GetAsync(biz, "/api/v1/admin/portal-settings");
        Assert.True(settings.GetProperty("signInMethods").GetProperty("email").GetBoolean());
        Assert.Equal("Park at the back.", settings.GetProperty("bookingInstructions").GetString());
    }

    [Fact]
    public async Task The_api_turns_email_sign_in_off_without_asking_and_its_answer_counts_the_email_only_clients()
    {
        var biz = await EmailBusinessAsync(App, emailOnly: 3);
        await EmailBusinessAsync(App, emailOnly: 2);

        var off = await biz.SettingsAsync(s => s["signInMethods"]!["email"] = false);
        Assert.False(off.GetProperty("signInMethods").GetProperty("email").GetBoolean());
        Assert.Equal(4, off.GetProperty("emailOnlyClientsLockedOut").GetInt32()); // the three and the unproven mobile
        Assert.Equal(0, off.GetProperty("phoneOnlyClientsLockedOut").GetInt32());

        var on = await biz.SettingsAsync(s => s["signInMethods"]!["email"] = true);
        Assert.Equal(0, on.GetProperty("emailOnlyClientsLockedOut").GetInt32());
        Assert.False((await GetAsync(biz, "/api/v1/admin/portal-settings")).TryGetProperty("emailOnlyClientsLockedOut", out _));
    }

    [Fact]
    public async Task With_phone_sign_in_off_the_portal_says_to_sign_in_with_email_and_an_old_phone_link_points_there()
    {
        var biz = await PhoneBusinessAsync(App, phoneOnly: 1);
        await biz.SettingsAsync(s => s["signInMethods"]!["phone"] = false);
        var portal = App.NewClient();

        var landing = await portal.PageAsync($"/ol/book?name={biz.Slug}");
        Assert.Null(landing.One("main a[href^='/ol/phone']"));
        Assert.Contains($"If you used to sign in with your mobile, ask Business {biz.Slug} to add your email address", landing.One("#method-off")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Signing in with your mobile and a code by SMS is not offered at the moment", (await portal.PageAsync($"/ol/sign-in?name={biz.Slug}")).One("#method-off")!.TextContent, StringComparison.Ordinal);
        var old = await portal.PageAsync($"/ol/phone?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.Forbidden, old.Status);
        Assert.DoesNotContain("does not offer sign-in by mobile phone", old.Text, StringComparison.Ordinal);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(old.Text, "is not offered at the moment"));
        Assert.Equal($"/ol/sign-in?name={biz.Slug}", old.One("#sign-in-instead")!.GetAttribute("href"));

        // Both on: no such note.
        await biz.SettingsAsync(s => s["signInMethods"]!["phone"] = true);
        Assert.Null((await portal.PageAsync($"/ol/book?name={biz.Slug}")).One("#method-off"));
        Assert.Null((await portal.PageAsync($"/ol/sign-in?name={biz.Slug}")).One("#method-off"));
    }
}

