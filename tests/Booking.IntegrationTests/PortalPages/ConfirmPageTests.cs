using System.Globalization;
using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>The confirm page checks on GET that the chosen time is still free.</summary>
public sealed class ConfirmPageTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task The_confirm_page_says_when_the_time_was_taken_since_the_slot_list_was_shown()
    {
        var b = await shared.App.BookableAsync();
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var bob = await shared.App.RegisterClientAsync(b.Biz, "Bob");
        var start = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(2), SchedulingApi.Day(2))).Starts()[10];
        var iso = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var url = $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start={Uri.EscapeDataString(iso)}";

        var free = await alice.Http.PageAsync(url);
        Assert.Equal(HttpStatusCode.OK, free.Status);
        Assert.Null(free.One("#no-longer-free"));

        Assert.Equal(HttpStatusCode.Created, (await bob.BookAsync(b, iso)).StatusCode);

        var taken = await alice.Http.PageAsync(url);
        Assert.Equal(HttpStatusCode.OK, taken.Status);
        Assert.Contains("no longer free", taken.One("#no-longer-free")?.TextContent, StringComparison.Ordinal);
        Assert.Contains(taken.All("#no-longer-free a"), a => a.GetAttribute("href")!.StartsWith("/ol/new-booking?", StringComparison.Ordinal));
        Assert.Null(taken.One("#not-offered"));
        Assert.Null(taken.One("main form")); // nothing to confirm: only another time
    }

    [Fact]
    public async Task A_note_typed_for_a_time_taken_meanwhile_is_shown_and_carried_to_the_next_confirm_page()
    {
        var b = await shared.App.BookableAsync();
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var bob = await shared.App.RegisterClientAsync(b.Biz, "Bob");
        var starts = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(2), SchedulingApi.Day(2))).Starts();
        var iso = starts[10].ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var url = $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start={Uri.EscapeDataString(iso)}";
        const string note = "Side door, please — the front step is broken & slippery.\nThanks!";
        var form = await alice.Http.PageAsync(url);
        Assert.Equal(HttpStatusCode.Created, (await bob.BookAsync(b, iso)).StatusCode);

        var failed = await alice.Http.SubmitAsync(form, PortalHtml.Fields(("Input.Note", note)));

        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Contains("no longer free", failed.One("#error-summary")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("Your note is kept for the time you choose next", failed.One("#kept-note")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(note, failed.One("#kept-note .note")?.TextContent);
        var back = failed.One("#pick-again a")!.GetAttribute("href")!;
        Assert.Contains("&note=" + Uri.EscapeDataString(note), back, StringComparison.Ordinal);

        // The day's times carry it (links and the day form), and the next confirm page has it in its note field.
        var times = await alice.Http.PageAsync(back);
        Assert.Equal(note, times.One("#pick-day input[name=note]")?.GetAttribute("value"));
        var next = times.All("a.slot").Select(a => a.GetAttribute("href")!).First(h => !h.Contains(Uri.EscapeDataString(iso), StringComparison.Ordinal));
        Assert.Contains("&note=", next, StringComparison.Ordinal);
        var confirm = await alice.Http.PageAsync(next);
        Assert.Equal(note, confirm.One("textarea[name='Input.Note']")?.TextContent.TrimStart('\n'));

        // A note too long for an address is still shown, to copy, and not put in the link.
        var longer = string.Concat(Enumerable.Repeat("日本語", 600));
        var later = starts[14].ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        form = await alice.Http.PageAsync($"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start={Uri.EscapeDataString(later)}");
        Assert.Equal(HttpStatusCode.Created, (await bob.BookAsync(b, later)).StatusCode);
        failed = await alice.Http.SubmitAsync(form, PortalHtml.Fields(("Input.Note", longer)));
        Assert.Equal(longer, failed.One("#kept-note .note")?.TextContent);
        Assert.Contains("copy it", failed.One("#kept-note")?.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("note=", failed.One("#pick-again a")!.GetAttribute("href")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_start_off_the_grid_is_said_to_be_not_one_of_the_times_offered()
    {
        var b = await shared.App.BookableAsync();
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var iso = SchedulingApi.At(SchedulingApi.Day(2), 10, 7);

        var page = await alice.Http.PageAsync($"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary={b.DiaryId}&start={Uri.EscapeDataString(iso)}");

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("that time isn't one of the times offered", page.One("#not-offered")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("Choose another time", page.One("#not-offered a")?.TextContent.Trim());
        Assert.StartsWith($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&diary={b.DiaryId}&date=", page.One("#not-offered a")?.GetAttribute("href"), StringComparison.Ordinal);
        Assert.Null(page.One("#no-longer-free"));
        Assert.DoesNotContain("no longer free", page.Text, StringComparison.Ordinal);
        Assert.Null(page.One("main form"));
    }

    [Theory]
    [InlineData("9999-12-31T23:00:00+14:00")]
    [InlineData("2200-01-01T10:00:00+11:00")]
    public async Task A_start_beyond_the_horizon_is_not_available_however_far(string start)
    {
        var b = await shared.App.BookableAsync();
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var url = $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start={Uri.EscapeDataString(start)}";

        var page = await alice.Http.PageAsync(url);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("That time is not available.", page.Text, StringComparison.Ordinal);
        Assert.Null(page.One("main form button[type=submit]"));
    }

    [Fact]
    public async Task The_booking_records_the_terms_the_page_showed_and_terms_changed_meanwhile_are_shown_to_accept_again()
    {
        var b = await shared.App.BookableAsync();
        var first = (await b.Biz.SettingsAsync(s => s["terms"] = new System.Text.Json.Nodes.JsonObject { ["text"] = "A no-show costs 100 dollars." }))
            .GetProperty("terms").GetProperty("version").GetInt32();
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var start = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(2), SchedulingApi.Day(2))).Starts()[4];
        var iso = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var url = $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start={Uri.EscapeDataString(iso)}";

        var shown = await alice.Http.PageAsync(url);
        Assert.Equal(first.ToString(CultureInfo.InvariantCulture), shown.One("input[name='Input.TermsVersion']")?.GetAttribute("value"));

        // Staff change the terms while the client reads the page.
        var second = (await b.Biz.SettingsAsync(s => s["terms"] = new System.Text.Json.Nodes.JsonObject { ["text"] = "A no-show costs 500 dollars." }))
            .GetProperty("terms").GetProperty("version").GetInt32();
        Assert.NotEqual(first, second);

        var again = await alice.Http.SubmitAsync(shown, new Dictionary<string, string> { ["Input.AcceptTerms"] = "true" });
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Contains("have changed since this page was shown", again.One("#error-summary")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("500 dollars", again.One(".terms")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(second.ToString(CultureInfo.InvariantCulture), again.One("input[name='Input.TermsVersion']")?.GetAttribute("value"));
        Assert.Null(again.One("input[name='Input.AcceptTerms'][checked]"));
        Assert.Empty(await DiaryAppointmentsAsync(b, start));

        // Not accepted: said plainly, without a version number the page never shows.
        var unaccepted = await alice.Http.SubmitAsync(again, new Dictionary<string, string>());
        Assert.Equal("Accept the Terms & Conditions to book.", unaccepted.One("#error-summary li")?.TextContent.Trim());

        var booked = await alice.Http.SubmitAsync(again, new Dictionary<string, string> { ["Input.AcceptTerms"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, booked.Status);
        Assert.StartsWith("/ol/booked?", booked.Response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var appointment = Assert.Single(await DiaryAppointmentsAsync(b, start));
        Assert.Equal(second, appointment.GetProperty("acceptedTermsVersion").GetInt32());
    }

    private static async Task<List<System.Text.Json.JsonElement>> DiaryAppointmentsAsync(Bookable b, DateTimeOffset start)
    {
        var day = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={day}&to={day}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        return [.. diary.GetProperty("appointments").EnumerateArray().Where(a => a.GetProperty("start").GetDateTimeOffset() == start)];
    }
}
