using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// How much of a business's time one client may hold through the portal: the business's maxUpcomingBookingsPerClient
/// (requested and confirmed appointments starting after now, whoever booked them), and 2 waiting requests for a client
/// not approved yet. Staff bookings are never refused by it.
/// </summary>
public sealed class BookingLimitTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static string Name(Bookable b) => $"Business {b.Biz.Slug}";

    private Task<long> CountAsync(Bookable b, Guid clientId) =>
        Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM appointments.appointments WHERE tenant_id = @t AND client_id = @c", ("t", b.Biz.Id), ("c", clientId));

    private static async Task<Guid> IdAsync(HttpResponseMessage response) =>
        (await response.JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    [Fact]
    public async Task A_client_at_the_limit_is_refused_booking_limit_in_plain_words_and_nothing_is_written_or_sent()
    {
        var b = await App.BookableAsync();
        var settings = await b.Biz.SettingsAsync(s =>
        {
            s["maxUpcomingBookingsPerClient"] = 3;
            s["contact"] = new JsonObject { ["phone"] = "02 9876 5432", ["email"] = "hello@limit.example" };
        });
        Assert.Equal(3, settings.GetProperty("maxUpcomingBookingsPerClient").GetInt32());
        var phone = settings.GetProperty("contact").GetProperty("phoneDisplay").GetString();
        var alice = await App.RegisterClientAsync(b.Biz);
        for (var day = 2; day <= 4; day++)
        {
            await IdAsync(await alice.BookAsync(b, At(Day(day), 10)));
        }

        var refused = await alice.BookAsync(b, At(Day(5), 10), key: "fourth");

        var problem = await refused.JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("booking-limit", problem.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal(
            $"You already have 3 upcoming appointments with {Name(b)}, which allows 3 at a time online. To book another, cancel one first, or contact {Name(b)} on {phone} or at hello@limit.example.",
            problem.GetProperty("detail").GetString());
        Assert.False(problem.TryGetProperty("errors", out _));
        Assert.Equal("upcoming-appointments", problem.GetProperty("reason").GetString());
        Assert.Equal(3, problem.GetProperty("limit").GetInt32());
        Assert.Equal(3L, await CountAsync(b, alice.Id));
        Assert.Equal(3, (await App.OutboxAsync(b.Biz.Id, "AppointmentBooked")).Count); // the refused one sends nothing

        // A repeat under the same key is the first answer, word for word.
        var repeat = await (await alice.BookAsync(b, At(Day(5), 10), key: "fourth")).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(problem.GetProperty("detail").GetString(), repeat.GetProperty("detail").GetString());
        Assert.Equal("upcoming-appointments", repeat.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Cancelling_one_frees_a_place_and_another_client_of_the_business_is_not_held_by_it()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["maxUpcomingBookingsPerClient"] = 2);
        var alice = await App.RegisterClientAsync(b.Biz);
        var bob = await App.RegisterClientAsync(b.Biz, "Bob");
        var first = await IdAsync(await alice.BookAsync(b, At(Day(3), 10)));
        await IdAsync(await alice.BookAsync(b, At(Day(4), 10)));
        Assert.Equal("booking-limit", await (await alice.BookAsync(b, At(Day(5), 10))).KindAsync(HttpStatusCode.Conflict));

        await IdAsync(await bob.BookAsync(b, At(Day(5), 10)));
        await IdAsync(await bob.BookAsync(b, At(Day(6), 10)));

        await (await alice.Http.CancelAsync(b.Biz.Slug, first)).JsonAsync(HttpStatusCode.OK);
        await IdAsync(await alice.BookAsync(b, At(Day(7), 10)));
        Assert.Equal("booking-limit", await (await alice.BookAsync(b, At(Day(8), 10))).KindAsync(HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task Staff_may_book_a_client_past_the_limit_and_those_appointments_count_at_the_portal()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["maxUpcomingBookingsPerClient"] = 1);
        var alice = await App.RegisterClientAsync(b.Biz);
        await IdAsync(await alice.BookAsync(b, At(Day(3), 10)));

        for (var day = 4; day <= 5; day++)
        {
            await (await b.Biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
                new { clientId = alice.Id, serviceId = b.ServiceId, diaryId = b.DiaryId, start = At(Day(day), 10), petId = (Guid?)null, note = (string?)null }))
                .JsonAsync(HttpStatusCode.Created);
        }

        var problem = await (await alice.BookAsync(b, At(Day(6), 10))).JsonAsync(HttpStatusCode.Conflict);
        // The refusal says what the client holds, not only the limit (counted in the limit's own statement).
        Assert.Equal($"You already have 3 upcoming appointments with {Name(b)}, which allows 1 at a time online. To book another, cancel one first, or contact {Name(b)}.", problem.GetProperty("detail").GetString());
        Assert.Equal(1, problem.GetProperty("limit").GetInt32());
        Assert.Equal(3, problem.GetProperty("held").GetInt32());
        Assert.Equal(3L, await CountAsync(b, alice.Id));
    }

    [Fact]
    public async Task Asking_to_cancel_does_not_free_a_place_until_staff_accept()
    {
        // A cancellation asked for keeps its time until staff answer: were it not counted, a client could book to the
        // limit, ask to cancel each, and book again, holding ever more of the diary.
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s =>
        {
            s["maxUpcomingBookingsPerClient"] = 1;
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "request" };
        });
        var alice = await App.RegisterClientAsync(b.Biz);
        var soon = await IdAsync(await alice.BookAsync(b, At(Day(1), 12)));
        var asked = await (await alice.Http.CancelAsync(b.Biz.Slug, soon, "Sick")).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("cancellation-requested", asked.GetProperty("status").GetString());

        var refused = await (await alice.BookAsync(b, At(Day(6), 10))).JsonAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("/booking-limit", refused.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(1L, await CountAsync(b, alice.Id));

        await (await b.Biz.Owner.PostAsync(new Uri($"/api/v1/admin/requests/{soon}/accept", UriKind.Relative), null)).JsonAsync(HttpStatusCode.OK);
        await IdAsync(await alice.BookAsync(b, At(Day(6), 10)));
    }

    [Fact]
    public async Task A_client_waiting_for_approval_may_have_two_requests_waiting_and_a_third_is_refused()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var nina = await App.RegisterClientAsync(b.Biz, "Nina");
        var first = await IdAsync(await nina.BookAsync(b, At(Day(3), 10)));
        var second = await (await nina.BookAsync(b, At(Day(4), 10))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", second.GetProperty("status").GetString());

        var problem = await (await nina.BookAsync(b, At(Day(5), 10))).JsonAsync(HttpStatusCode.Conflict);

        Assert.Equal("booking-limit", problem.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal("waiting-requests", problem.GetProperty("reason").GetString());
        Assert.Equal(2, problem.GetProperty("limit").GetInt32());
        Assert.StartsWith($"You already have 2 booking requests waiting for {Name(b)} to answer.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("or withdraw one.", problem.GetProperty("detail").GetString(), StringComparison.Ordinal); // the portal's word for a request
        Assert.Equal(2L, await CountAsync(b, nina.Id));
        Assert.Equal(2, (await App.OutboxAsync(b.Biz.Id, "BookingRequested")).Count); // staff are not emailed a third time

        await (await nina.Http.CancelAsync(b.Biz.Slug, first)).JsonAsync(HttpStatusCode.OK);
        await IdAsync(await nina.BookAsync(b, At(Day(5), 10)));
    }

    [Fact]
    public async Task Sixteen_bookings_of_one_client_at_once_never_go_past_the_limit()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["maxUpcomingBookingsPerClient"] = 3);
        var alice = await App.RegisterClientAsync(b.Biz);

        // Three bursts (a race lost once is enough), each on days of its own; between them staff cancel what was booked
        // (the client's own nine cancellations would meet decision 322's churn limit, which is not this test's).
        for (var round = 0; round < 3; round++)
        {
            var firstDay = 2 + (round * 4);
            var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => alice.BookAsync(b, At(Day(firstDay + (i / 4)), 8 + (2 * (i % 4))))));

            var booked = answers.Where(a => a.StatusCode == HttpStatusCode.Created).ToList();
            Assert.Equal(3, booked.Count);
            foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
            {
                Assert.Equal("booking-limit", await refused.KindAsync(HttpStatusCode.Conflict));
            }

            Assert.Equal(3L + (3L * round), await CountAsync(b, alice.Id));
            Assert.Equal(3 + (3 * round), (await App.OutboxAsync(b.Biz.Id, "AppointmentBooked")).Count);
            foreach (var created in booked)
            {
                await (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{await IdAsync(created)}/cancel", new { reason = "" })).JsonAsync(HttpStatusCode.OK);
            }
        }
    }

    [Fact]
    public async Task The_limit_setting_is_10_at_first_takes_1_to_100_and_names_the_field_when_out_of_range()
    {
        var b = await App.BookableAsync();
        var current = JsonNode.Parse(await b.Biz.Owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!.AsObject();
        Assert.Equal(10, (int)current["maxUpcomingBookingsPerClient"]!);

        foreach (var bad in new[] { 0, 101, -5 })
        {
            current["maxUpcomingBookingsPerClient"] = bad;
            var problem = await (await b.Biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", current)).JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["Use a number from 1 to 100."], problem.GetProperty("errors").GetProperty("maxUpcomingBookingsPerClient").EnumerateArray().Select(e => e.GetString()));
        }

        current["maxUpcomingBookingsPerClient"] = 100;
        Assert.Equal(100, (await (await b.Biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", current)).JsonAsync(HttpStatusCode.OK))
            .GetProperty("maxUpcomingBookingsPerClient").GetInt32());
        current.Remove("maxUpcomingBookingsPerClient"); // left out: it stays
        Assert.Equal(100, (await (await b.Biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", current)).JsonAsync(HttpStatusCode.OK))
            .GetProperty("maxUpcomingBookingsPerClient").GetInt32());
        var text = JsonNode.Parse(await b.Biz.Owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!.AsObject();
        text["maxUpcomingBookingsPerClient"] = "lots";
        Assert.Equal(HttpStatusCode.BadRequest, (await b.Biz.Owner.PutAsJsonAsync("/api/v1/admin/portal-settings", text)).StatusCode);
    }

    [Fact]
    public async Task The_confirm_page_says_the_limit_in_words_with_a_way_to_the_appointments()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["maxUpcomingBookingsPerClient"] = 1);
        var alice = await App.RegisterClientAsync(b.Biz);
        await IdAsync(await alice.BookAsync(b, At(Day(3), 10)));
        var url = $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start={Uri.EscapeDataString(At(Day(4), 10))}";

        var page = await alice.Http.SubmitAsync(await alice.Http.PageAsync(url), new Dictionary<string, string>(), "main form[data-once]");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.True(page.One("#error-summary li") is not null, page.Text);
        Assert.Equal($"You already have 1 upcoming appointment with {Name(b)}, which allows 1 at a time online. To book another, cancel one first, or contact {Name(b)}.",
            page.One("#error-summary li")?.TextContent.Trim());
        Assert.DoesNotContain("booking-limit", page.Text, StringComparison.Ordinal);
        Assert.StartsWith("/ol/appointments", page.One("#booking-limit a")?.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal(1L, await CountAsync(b, alice.Id));
    }

    [Fact]
    public async Task A_client_at_the_limit_is_told_on_the_landing_page_and_at_the_start_of_booking_in_the_refusals_words()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["maxUpcomingBookingsPerClient"] = 3);
        var casey = await App.RegisterClientAsync(b.Biz, "Casey");
        for (var day = 2; day <= 4; day++)
        {
            await IdAsync(await casey.BookAsync(b, At(Day(day), 10)));
        }

        await b.Biz.SettingsAsync(s => s["maxUpcomingBookingsPerClient"] = 2);
        var words = $"You already have 3 upcoming appointments with {Name(b)}, which allows 2 at a time online. To book another, cancel one first, or contact {Name(b)}.";
        // The refusal at confirm (the guard) says the same.
        var refused = await (await casey.BookAsync(b, At(Day(5), 10))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal(words, refused.GetProperty("detail").GetString());

        var landing = await casey.Http.PageAsync($"/ol/book?name={b.Biz.Slug}");
        Assert.Equal(words, landing.One("#booking-limit")?.TextContent.Trim());
        Assert.Null(landing.One("main a[href^='/ol/new-booking']"));
        Assert.NotNull(landing.One("main a[href^='/ol/appointments']"));

        var booking = await casey.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}");
        Assert.Equal(HttpStatusCode.OK, booking.Status);
        Assert.Equal(words, booking.One("#booking-limit")?.TextContent.Trim());
        Assert.Null(booking.One("a.slot"));
        Assert.Null(booking.One("main form"));
        Assert.NotNull(booking.One("main a[href^='/ol/appointments']"));

        // Below the limit again: booking is offered, and nothing is said.
        await b.Biz.SettingsAsync(s => s["maxUpcomingBookingsPerClient"] = 4);
        landing = await casey.Http.PageAsync($"/ol/book?name={b.Biz.Slug}");
        Assert.Null(landing.One("#booking-limit"));
        Assert.NotNull(landing.One("main a[href^='/ol/new-booking']"));
        booking = await casey.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}");
        Assert.Null(booking.One("#booking-limit"));
        Assert.NotNull(booking.One("a.slot"));
    }

    [Fact]
    public async Task A_client_waiting_for_approval_with_two_requests_waiting_is_told_before_choosing_a_time()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var nina = await App.RegisterClientAsync(b.Biz, "Nina");
        var first = await IdAsync(await nina.BookAsync(b, At(Day(3), 10)));
        await IdAsync(await nina.BookAsync(b, At(Day(4), 10)));
        var refused = await (await nina.BookAsync(b, At(Day(5), 10))).JsonAsync(HttpStatusCode.Conflict);
        var words = refused.GetProperty("detail").GetString();
        Assert.StartsWith($"You already have 2 booking requests waiting for {Name(b)} to answer.", words, StringComparison.Ordinal);

        var landing = await nina.Http.PageAsync($"/ol/book?name={b.Biz.Slug}");
        Assert.Equal(words, landing.One("#booking-limit")?.TextContent.Trim());
        Assert.Null(landing.One("main a[href^='/ol/new-booking']"));
        Assert.Contains("Your 2 requests", landing.Text, StringComparison.Ordinal); // the waiting count from the same statement
        var booking = await nina.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}");
        Assert.Equal(words, booking.One("#booking-limit")?.TextContent.Trim());
        Assert.Null(booking.One("main form"));

        await (await nina.Http.CancelAsync(b.Biz.Slug, first)).JsonAsync(HttpStatusCode.OK);
        Assert.Null((await nina.Http.PageAsync($"/ol/book?name={b.Biz.Slug}")).One("#booking-limit"));
        Assert.Null((await nina.Http.PageAsync($"/ol/new-booking?name={b.Biz.Slug}")).One("#booking-limit"));
    }

    [Fact]
    public async Task Setup_Client_Portal_shows_the_limit_saves_a_new_one_and_refuses_one_out_of_range_on_its_box()
    {
        var biz = await App.SignUpBusinessAsync("limit-page");
        var form = await biz.Owner.PageAsync("/staff/setup/portal");
        Assert.Equal("10", form.One("input[name='Settings.MaxUpcomingBookingsPerClient']")?.GetAttribute("value"));

        var refused = await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Settings.MaxUpcomingBookingsPerClient", "0")), "form[action*='handler=Settings']");
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Equal("Use a number from 1 to 100.", refused.One("#max-upcoming-error")?.TextContent.Trim());
        // The error summary names the field (decision 310); beside the box, under its label, the message alone.
        Assert.Equal("Most upcoming appointments one client may book online: Use a number from 1 to 100.",
            refused.One("#error-summary a[href='#Settings_MaxUpcomingBookingsPerClient']")?.TextContent.Trim());

        await biz.Owner.SubmitAsync(form, PortalHtml.Fields(("Settings.MaxUpcomingBookingsPerClient", "4")), "form[action*='handler=Settings']");
        var settings = JsonNode.Parse(await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/portal-settings", UriKind.Relative)))!;
        Assert.Equal(4, (int)settings["maxUpcomingBookingsPerClient"]!);
    }
}
