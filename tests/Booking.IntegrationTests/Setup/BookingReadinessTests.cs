using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// A business that has just signed up has its portal open before anything is bookable (review J10): Setup → Client
/// Portal says what is missing, item by item, with a link to the page that does it, and the portal tells clients it is
/// not taking online bookings at the moment, with the business's contact, instead of an empty list or empty days.
/// </summary>
public sealed class BookingReadinessTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static readonly string[] Checks = ["online-service", "online-diary", "online-hours", "portal-enabled", "book-access"];

    [Fact]
    public async Task A_business_that_gave_no_phone_or_email_is_warned_that_clients_cannot_reach_it_until_it_gives_one()
    {
        var biz = await App.SignUpBusinessAsync("ready");
        await biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = null, ["email"] = null });
        var warning = (await biz.Owner.PageAsync("/staff/setup/portal")).One("#readiness #no-contact");
        Assert.NotNull(warning);
        // A new business refuses late cancels online (24 hours): the one warning names that (s42 review #12: said once).
        Assert.Contains($"tell them \"Contact Business {biz.Slug}\", but you have given no phone or email.", warning.TextContent, StringComparison.Ordinal);
        Assert.Equal("#Settings_ContactPhone", warning.QuerySelector("a")!.GetAttribute("href"));

        // One way to reach the business is enough.
        await biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = null, ["email"] = "desk@ready.example" });
        Assert.Null((await biz.Owner.PageAsync("/staff/setup/portal")).One("#no-contact"));
    }

    /// <summary>
    /// Decisions 336 and 340 (review s40 #11): "Too late to cancel online? Contact …" with nothing to contact them by, and
    /// the same for late moves (refused inside the window even where late cancels are requests) and for cancels or moves
    /// the access levels refuse altogether.
    /// </summary>
    [Fact]
    public async Task What_the_policy_refuses_online_is_flagged_while_the_business_gave_no_phone_or_email()
    {
        var biz = await App.SignUpBusinessAsync("ready");
        static JsonObject Access(bool cancel, bool book = true) => new() { ["view"] = true, ["book"] = book, ["cancel"] = cancel };
        static JsonObject Policy(int hours, string insideWindow) => new() { ["hours"] = hours, ["text"] = "A day's notice, please.", ["insideWindow"] = insideWindow };
        async Task<string?> NoticeAsync() => (await biz.Owner.PageAsync("/staff/setup/portal")).One("#refused-online-no-contact")?.TextContent;

        await biz.SettingsAsync(s =>
        {
            s["contact"] = new JsonObject { ["phone"] = null, ["email"] = null };
            s["accessLevels"] = Access(cancel: true);
            s["cancellationPolicy"] = Policy(24, "refuse");
        });
        var notice = await NoticeAsync();
        Assert.NotNull(notice);
        Assert.Contains("Clients can't cancel online within 24 hours of the start, or change an appointment's time online within 24 hours of the start,", notice, StringComparison.Ordinal);
        Assert.Contains($"\"Contact Business {biz.Slug}\"", notice, StringComparison.Ordinal);

        // Letting clients ask inside the window still leaves late moves to the business (before: the notice went away).
        await biz.SettingsAsync(s => s["cancellationPolicy"] = Policy(48, "request"));
        Assert.Contains("Clients can't change an appointment's time online within 2 days of the start,", await NoticeAsync(), StringComparison.Ordinal);

        // No window: nothing is refused online, so nothing sends clients to the business.
        await biz.SettingsAsync(s => s["cancellationPolicy"] = Policy(0, "refuse"));
        Assert.Null(await NoticeAsync());

        // Cancelling switched off: every cancel and move goes to the business.
        await biz.SettingsAsync(s => s["accessLevels"] = Access(cancel: false));
        Assert.Contains("Clients can't cancel online, or change an appointment's time online,", await NoticeAsync(), StringComparison.Ordinal);

        // A way to reach the business settles it, whatever is refused.
        await biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = null, ["email"] = "desk@ready.example" });
        Assert.Null(await NoticeAsync());
    }

    [Fact]
    public async Task A_new_business_is_shown_what_is_missing_and_its_clients_are_told_it_is_not_taking_bookings_yet()
    {
        var biz = await App.SignUpBusinessAsync("ready");
        await biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = "02 9876 5432", ["email"] = "desk@ready.example" });

        // Staff: the page the owner lands on after sign-up lists every item, the unmet ones with what to do and where.
        var setup = await biz.Owner.PageAsync("/staff/setup/portal?welcome=true");
        Assert.Equal(HttpStatusCode.OK, setup.Status);
        Assert.Contains("Not yet.", Readiness(setup), StringComparison.Ordinal);
        Assert.Equal(Checks, setup.All("#readiness li[data-check]").Select(li => li.GetAttribute("data-check")));
        AssertItem(setup, "online-service", met: false, "/staff/setup/services/new");
        AssertItem(setup, "online-diary", met: false, "/staff/setup/roster");
        AssertItem(setup, "online-hours", met: false, "/staff/setup/roster");
        AssertItem(setup, "portal-enabled", met: true, null);
        AssertItem(setup, "book-access", met: true, null);
        Assert.Contains("(2 of 5 done)", Readiness(setup), StringComparison.Ordinal);

        var api = await ReadinessAsync(biz);
        Assert.False(api.GetProperty("ready").GetBoolean());
        Assert.False(api.GetProperty("bookableOnline").GetBoolean());
        Assert.Equal("no-services", Check(api, "online-service").GetProperty("reason").GetString());
        Assert.Equal("no-diaries", Check(api, "online-diary").GetProperty("reason").GetString());
        Assert.Equal("no-diary", Check(api, "online-hours").GetProperty("reason").GetString());

        // Clients: the landing page and the booking page say so, with the contact; neither offers booking.
        var visitor = App.NewClient();
        var landing = await visitor.PageAsync($"/ol/book?name={biz.Slug}");
        AssertNotTakingBookings(landing, biz, withContact: true);
        Assert.Null(landing.One("main a[href^='/ol/new-booking']"));
        Assert.NotNull(landing.One("main a[href^='/ol/sign-in']")); // signing in still works
        var booking = await visitor.PageAsync($"/ol/new-booking?name={biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, booking.Status);
        AssertNotTakingBookings(booking, biz, withContact: true);
        Assert.Empty(booking.All("input[name=service]"));
        Assert.DoesNotContain("has nothing to book online at the moment", booking.Text, StringComparison.Ordinal);

        // A signed-in client sees the note and can still reach their own appointments.
        var client = await App.RegisterClientAsync(biz);
        var home = await client.Http.PageAsync($"/ol/book?name={biz.Slug}");
        AssertNotTakingBookings(home, biz, withContact: true);
        Assert.NotNull(home.One("main a[href^='/ol/appointments']"));
        Assert.Null(home.One("main a[href^='/ol/new-booking']"));
        Assert.Equal(HttpStatusCode.OK, (await client.Http.PageAsync($"/ol/appointments?name={biz.Slug}")).Status);
    }

    [Fact]
    public async Task With_a_service_a_diary_offering_it_and_an_online_block_every_item_is_met_the_note_is_gone_and_a_slot_is_offered()
    {
        var biz = await App.SignUpBusinessAsync("ready");
        var visitor = App.NewClient();

        // A service no diary offers: the diary item points at that service's diaries.
        var service = await biz.CreateServiceAsync("Consultation");
        var diary = await biz.CreateDiaryAsync("Dr Ready");
        var api = await ReadinessAsync(biz);
        Assert.True(Check(api, "online-service").GetProperty("met").GetBoolean());
        Assert.Equal("not-offered", Check(api, "online-diary").GetProperty("reason").GetString());
        AssertItem(await biz.Owner.PageAsync("/staff/setup/portal"), "online-diary", met: false, $"/staff/setup/services/{service}#diaries");

        // Offered by the diary, with hours that are not bookable online: the hours item points at the diary's roster.
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/services/{service}", SetupApi.ServiceBody("Consultation", [diary]))).JsonAsync(HttpStatusCode.OK);
        await biz.PutRosterAsync(diary, SetupApi.Block("monday", "09:00", "17:00", bookableOnline: false));
        api = await ReadinessAsync(biz);
        Assert.True(Check(api, "online-diary").GetProperty("met").GetBoolean());
        Assert.Equal("no-online-hours", Check(api, "online-hours").GetProperty("reason").GetString());
        var page = await biz.Owner.PageAsync("/staff/setup/portal");
        AssertItem(page, "online-hours", met: false, $"/staff/setup/roster/{diary}#week");
        Assert.Contains("Dr Ready has no hours clients can book online", Item(page, "online-hours").TextContent, StringComparison.Ordinal);
        AssertNotTakingBookings(await visitor.PageAsync($"/ol/book?name={biz.Slug}"), biz);

        // Online hours every day: every item is met, the page says so with the portal's address.
        await biz.RosterEveryDayAsync(diary, "09:00", "17:00");
        api = await ReadinessAsync(biz);
        Assert.True(api.GetProperty("ready").GetBoolean());
        Assert.True(api.GetProperty("bookableOnline").GetBoolean());
        Assert.All(api.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("met").GetBoolean(), c.ToString()));
        page = await biz.Owner.PageAsync("/staff/setup/portal");
        Assert.Contains("Yes, clients can book online.", Readiness(page), StringComparison.Ordinal);
        Assert.EndsWith($"/ol/book?name={biz.Slug}", page.One("#readiness .ready-yes a")!.GetAttribute("href"), StringComparison.Ordinal);
        Assert.All(Checks, c => AssertItem(page, c, met: true, null));

        // Clients: no note; booking is offered and a time can be picked.
        var landing = await visitor.PageAsync($"/ol/book?name={biz.Slug}");
        Assert.Null(landing.One("#not-bookable"));
        Assert.DoesNotContain("isn't taking online bookings at the moment", landing.Text, StringComparison.Ordinal);
        Assert.NotNull(landing.One($"main a[href='/ol/new-booking?name={biz.Slug}']"));
        var booking = await visitor.PageAsync($"/ol/new-booking?name={biz.Slug}");
        Assert.DoesNotContain("isn't taking online bookings at the moment", booking.Text, StringComparison.Ordinal);
        var times = await visitor.PageAsync($"/ol/new-booking?name={biz.Slug}&service={service}");
        Assert.NotEmpty(times.All("a.slot"));
    }

    [Fact]
    public async Task The_portal_settings_count_and_the_route_is_for_owners_and_admins_only()
    {
        var b = await App.BookableAsync();
        Assert.True((await ReadinessAsync(b.Biz)).GetProperty("ready").GetBoolean());

        // Booking switched off: the item says where to switch it on; clients get the access-level refusal, not the note.
        await b.Biz.SettingsAsync(s => s["accessLevels"]!["book"] = false);
        var api = await ReadinessAsync(b.Biz);
        Assert.False(api.GetProperty("ready").GetBoolean());
        Assert.True(api.GetProperty("bookableOnline").GetBoolean());
        Assert.Equal("access-level-off", Check(api, "book-access").GetProperty("reason").GetString());
        AssertItem(await b.Biz.Owner.PageAsync("/staff/setup/portal"), "book-access", met: false, "/staff/setup/portal#Settings_CanBook");
        Assert.DoesNotContain("isn't taking online bookings at the moment", (await App.NewClient().PageAsync($"/ol/book?name={b.Biz.Slug}")).Text, StringComparison.Ordinal);

        // The portal switched off.
        await b.Biz.SettingsAsync(s => s["enabled"] = false);
        Assert.Equal("portal-disabled", Check(await ReadinessAsync(b.Biz), "portal-enabled").GetProperty("reason").GetString());

        // Staff only, owners and admins: a practitioner is refused, no session is 401.
        var practitioner = await App.SignInPractitionerAsync(b.Biz);
        Assert.Equal(HttpStatusCode.Forbidden, (await practitioner.GetAsync(new Uri("/api/v1/admin/portal/readiness", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await App.NewClient().GetAsync(new Uri("/api/v1/admin/portal/readiness", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Open_hours_that_end_before_the_minimum_notice_are_not_bookable_time()
    {
        // The only online hours are on the horizon's last day, and the minimum notice ends at noon that day.
        var biz = await App.SignUpBusinessAsync("ready");
        var diary = await biz.CreateDiaryAsync("Dr Notice");
        await biz.CreateServiceAsync("Consultation", diary); // 60 minutes, no buffer
        var day = SchedulingApi.Day(2);
        var noon = day.At(new NodaTime.LocalTime(12, 0)).InZoneLeniently(SchedulingApi.Sydney).ToInstant();
        var notice = (int)Math.Ceiling((noon - NodaTime.SystemClock.Instance.GetCurrentInstant()).TotalMinutes);
        await biz.RulesAsync(interval: 30, notice: notice, horizon: 2);
        var exception = await ExceptionAsync(biz, diary, day, "09:00", "11:00");
        var visitor = App.NewClient();

        // 09:00–11:00 ends before the notice does: not one start can be booked, though the day has hours.
        var api = await ReadinessAsync(biz);
        Assert.False(api.GetProperty("ready").GetBoolean());
        Assert.False(api.GetProperty("bookableOnline").GetBoolean());
        Assert.Equal("no-online-hours", Check(api, "online-hours").GetProperty("reason").GetString());
        AssertNotTakingBookings(await visitor.PageAsync($"/ol/book?name={biz.Slug}"), biz);
        AssertNotTaking(await BusinessAsync(visitor, biz), "nothing-bookable");

        // 11:00–12:30 runs past the notice, but a 60-minute start that late does not fit.
        await ChangeExceptionAsync(biz, diary, exception, day, "11:00", "12:30");
        api = await ReadinessAsync(biz);
        Assert.False(api.GetProperty("bookableOnline").GetBoolean());
        Assert.Equal("hours-too-short", Check(api, "online-hours").GetProperty("reason").GetString());
        Assert.Contains("after your minimum notice are all too short for Consultation", Item(await biz.Owner.PageAsync("/staff/setup/portal"), "online-hours").TextContent, StringComparison.Ordinal);
        AssertNotTaking(await BusinessAsync(visitor, biz), "nothing-bookable");

        // 12:30–14:00: a real start after the notice. Ready, and the portal's answer follows the change at once.
        await ChangeExceptionAsync(biz, diary, exception, day, "12:30", "14:00");
        api = await ReadinessAsync(biz);
        Assert.True(api.GetProperty("ready").GetBoolean());
        var facts = await BusinessAsync(visitor, biz);
        Assert.True(facts.GetProperty("takingBookings").GetBoolean());
        Assert.Equal(JsonValueKind.Null, facts.GetProperty("notTakingBookingsReason").ValueKind);
        Assert.Null((await visitor.PageAsync($"/ol/book?name={biz.Slug}")).One("p.not-bookable"));
    }

    [Fact]
    public async Task When_every_online_time_is_taken_the_business_is_not_ready_and_clients_are_told_there_are_no_free_times()
    {
        // One start in the whole horizon: tomorrow 10:00 (a 60-minute service in 10:00–11:00).
        var biz = await App.SignUpBusinessAsync("ready");
        await biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = "02 9876 5432", ["email"] = "desk@ready.example" });
        var diary = await biz.CreateDiaryAsync("Dr Busy");
        var service = await biz.CreateServiceAsync("Consultation", diary);
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 1);
        var day = SchedulingApi.Day(1);
        await ExceptionAsync(biz, diary, day, "10:00", "11:00");
        Assert.True((await ReadinessAsync(biz)).GetProperty("ready").GetBoolean());

        var client = await App.RegisterClientAsync(biz);
        var b = new Bookable(biz, diary, service);
        await (await client.BookAsync(b, SchedulingApi.At(day, 10))).JsonAsync(HttpStatusCode.Created);

        var api = await ReadinessAsync(biz);
        Assert.False(api.GetProperty("ready").GetBoolean());
        Assert.False(api.GetProperty("bookableOnline").GetBoolean());
        Assert.Equal("fully-booked", Check(api, "online-hours").GetProperty("reason").GetString());
        Assert.Equal(diary, Check(api, "online-hours").GetProperty("diary").GetProperty("id").GetGuid());
        var item = Item(await biz.Owner.PageAsync("/staff/setup/portal"), "online-hours");
        Assert.Contains("Every time clients could book Consultation online in the next day is taken.", item.TextContent, StringComparison.Ordinal);

        // Clients: the portal says there is no free time (not "yet"), and so does the API.
        var visitor = App.NewClient();
        AssertNotTaking(await BusinessAsync(visitor, biz), "fully-booked");
        var landing = await visitor.PageAsync($"/ol/book?name={biz.Slug}");
        Assert.Equal($"Business {biz.Slug} has no free times to book online at the moment. To book an appointment, please contact them:",
            landing.One("p.not-bookable")!.TextContent);
        Assert.Equal("No free times online", landing.One("#not-bookable-heading")!.TextContent);

        // Booking: the taken time is still slot-conflict (for another client: the one who holds it is told they have it);
        // a time never offered says there is nothing free.
        var other = await App.RegisterClientAsync(biz, "Bob");
        Assert.Equal("slot-conflict", await (await other.BookAsync(b, SchedulingApi.At(day, 10))).KindAsync(HttpStatusCode.Conflict));
        Assert.Equal("own-appointment-overlap", await (await client.BookAsync(b, SchedulingApi.At(day, 10))).KindAsync(HttpStatusCode.Conflict));
        var refused = await (await client.BookAsync(b, SchedulingApi.At(day, 10, 30))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-unavailable", refused.Kind());
        Assert.Equal("fully-booked", refused.GetProperty("reason").GetString());
        Assert.StartsWith($"Business {biz.Slug} has no free times to book online", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_portal_business_says_whether_clients_can_book_online_and_why_not()
    {
        var visitor = App.NewClient();

        // Just signed up: nothing to book.
        var biz = await App.SignUpBusinessAsync("ready");
        AssertNotTaking(await BusinessAsync(visitor, biz), "nothing-bookable");

        // Set up: taking bookings from the very next answer (a change of setup drops the kept answer).
        var diary = await biz.CreateDiaryAsync("Dr Ready");
        await biz.CreateServiceAsync("Consultation", diary);
        AssertNotTaking(await BusinessAsync(visitor, biz), "nothing-bookable");
        await biz.RosterEveryDayAsync(diary, "00:00", "24:00");
        var facts = await BusinessAsync(visitor, biz);
        Assert.True(facts.GetProperty("takingBookings").GetBoolean());
        Assert.Equal(JsonValueKind.Null, facts.GetProperty("notTakingBookingsReason").ValueKind);

        // The portal settings come first.
        await biz.SettingsAsync(s => s["accessLevels"]!["book"] = false);
        AssertNotTaking(await BusinessAsync(visitor, biz), "access-level-off");
        await biz.SettingsAsync(s => s["enabled"] = false);
        AssertNotTaking(await BusinessAsync(visitor, biz), "portal-disabled");
    }

    [Fact]
    public async Task A_saved_link_to_a_confirm_page_says_the_business_is_not_taking_bookings_and_a_booking_is_refused_saying_so()
    {
        // A service offered by a diary with no online hours: nothing can be booked, though the link names a real service.
        var biz = await App.SignUpBusinessAsync("ready");
        await biz.SettingsAsync(s => s["contact"] = new JsonObject { ["phone"] = "02 9876 5432", ["email"] = "desk@ready.example" });
        var diary = await biz.CreateDiaryAsync("Dr Later");
        var service = await biz.CreateServiceAsync("Consultation", diary);
        var start = SchedulingApi.At(SchedulingApi.Day(1), 10);
        var link = $"/ol/new-booking/confirm?name={biz.Slug}&service={service}&diary=any&start={Uri.EscapeDataString(start)}";

        // Signed in: the note with the contact, no form, no "not available" or "no longer free".
        var client = await App.RegisterClientAsync(biz);
        var page = await client.Http.PageAsync(link);
        AssertNotTakingBookings(page, biz, withContact: true);
        Assert.Null(page.One("form[data-once]"));
        Assert.Null(page.One("#no-longer-free"));
        Assert.DoesNotContain("That time is not available", page.Text, StringComparison.Ordinal);

        // A visitor is told too, rather than sent to sign in first.
        var visitor = await App.NewClient().PageAsync(link);
        AssertNotTakingBookings(visitor, biz, withContact: true);
        Assert.Null(visitor.One("form[data-once]"));

        // The API: slot-unavailable (API.md's kind for a start not offered), saying why.
        var refused = await (await client.BookAsync(new Bookable(biz, diary, service), start)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("slot-unavailable", refused.Kind());
        Assert.Equal("nothing-bookable", refused.GetProperty("reason").GetString());
        Assert.Equal($"Business {biz.Slug} isn't taking online bookings at the moment. To book an appointment, please contact them.", refused.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_repeat_of_the_post_that_booked_the_last_free_time_lands_on_that_booking_not_on_the_note()
    {
        // One start in the whole horizon: tomorrow 10:00. The client books it from the confirm page, and the form goes
        // again (a resend after a timeout) once the kept answer says every time is taken.
        var biz = await App.SignUpBusinessAsync("ready");
        var diary = await biz.CreateDiaryAsync("Dr Last");
        var service = await biz.CreateServiceAsync("Consultation", diary);
        await biz.RulesAsync(interval: 30, notice: 0, horizon: 1);
        var day = SchedulingApi.Day(1);
        var exception = await ExceptionAsync(biz, diary, day, "10:00", "11:00");
        var start = SchedulingApi.At(day, 10);
        var link = $"/ol/new-booking/confirm?name={biz.Slug}&service={service}&diary=any&start={Uri.EscapeDataString(start)}";
        var client = await App.RegisterClientAsync(biz);
        var page = await client.Http.PageAsync(link);
        Assert.NotNull(page.One("form[data-once]"));
        var other = await App.RegisterClientAsync(biz);
        var otherPage = await other.Http.PageAsync(link); // a second client on the same time, who sends later
        Assert.NotNull(otherPage.One("form[data-once]"));

        var first = await client.Http.SubmitAsync(page, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        AssertNotTaking(await BusinessAsync(App.NewClient(), biz), "fully-booked"); // the kept answer now (the booking took the time it rested on)

        var again = await client.Http.SubmitAsync(page, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, again.Status);
        Assert.Equal(first.Response.Headers.Location, again.Response.Headers.Location);

        // The hours shrink below the service's length, so nothing at all can be booked: the second client's form, sent
        // now, is refused by the desk for that reason, and the page shows the note instead of an error line.
        await ChangeExceptionAsync(biz, diary, exception, day, "10:00", "10:30");
        var refused = await other.Http.SubmitAsync(otherPage, new Dictionary<string, string>());
        AssertNotTakingBookings(refused, biz);
        Assert.Null(refused.One("form[data-once]"));
        Assert.Null(refused.One("#error-summary"));

        // The API under an Idempotency-Key says why too, on the first answer and on its repeat.
        var key = Guid.NewGuid().ToString();
        foreach (var _ in new[] { "first", "repeat" })
        {
            var api = await (await other.BookAsync(new Bookable(biz, diary, service), start, key: key)).JsonAsync(HttpStatusCode.Conflict);
            Assert.Equal("slot-unavailable", api.Kind());
            Assert.Equal("nothing-bookable", api.GetProperty("reason").GetString());
        }
    }

    private static async Task<Guid> ExceptionAsync(TestBusiness biz, Guid diary, NodaTime.LocalDate day, string start, string end) =>
        (await (await biz.Owner.PostAsJsonAsync($"/api/v1/admin/diaries/{diary}/exceptions",
            new { date = SchedulingApi.Iso(day), closed = false, blocks = new[] { new { start, end, bookableOnline = true } } })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();

    private static async Task ChangeExceptionAsync(TestBusiness biz, Guid diary, Guid exception, NodaTime.LocalDate day, string start, string end) =>
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/diaries/{diary}/exceptions/{exception}",
            new { date = SchedulingApi.Iso(day), closed = false, blocks = new[] { new { start, end, bookableOnline = true } } })).JsonAsync(HttpStatusCode.OK);

    private static async Task<JsonElement> BusinessAsync(HttpClient http, TestBusiness biz) =>
        await (await http.GetAsync(new Uri($"/api/v1/portal/business?name={biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static void AssertNotTaking(JsonElement facts, string reason)
    {
        Assert.False(facts.GetProperty("takingBookings").GetBoolean(), facts.ToString());
        Assert.Equal(reason, facts.GetProperty("notTakingBookingsReason").GetString());
    }

    private static async Task<JsonElement> ReadinessAsync(TestBusiness biz) =>
        await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/portal/readiness", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

    private static JsonElement Check(JsonElement readiness, string check) =>
        readiness.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == check);

    private static string Readiness(HtmlPage page) => page.One("#readiness")?.TextContent ?? "";

    private static AngleSharp.Dom.IElement Item(HtmlPage page, string check) => page.One($"#readiness li[data-check='{check}']")!;

    private static void AssertItem(HtmlPage page, string check, bool met, string? link)
    {
        var item = Item(page, check);
        Assert.Equal(met ? "met" : "unmet", item.GetAttribute("class"));
        Assert.StartsWith(met ? "Done: " : "To do: ", item.QuerySelector("strong")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(link, item.QuerySelector("a")?.GetAttribute("href"));
    }

    private static void AssertNotTakingBookings(HtmlPage page, TestBusiness biz, bool withContact = false)
    {
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var note = page.One("p.not-bookable");
        Assert.NotNull(note);
        Assert.StartsWith($"Business {biz.Slug} isn't taking online bookings at the moment.", note.TextContent, StringComparison.Ordinal);
        var contact = note.NextElementSibling;
        Assert.Equal(withContact, contact?.ClassName == "business-contact");
        if (withContact)
        {
            Assert.EndsWith("please contact them:", note.TextContent, StringComparison.Ordinal);
            Assert.Contains("Phone: (02) 9876 5432", contact!.TextContent, StringComparison.Ordinal);
            Assert.Contains("Email: desk@ready.example", contact.TextContent, StringComparison.Ordinal);
        }
    }
}
