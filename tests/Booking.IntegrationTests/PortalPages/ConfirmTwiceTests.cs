using System.Globalization;
using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// The confirm form carries its own idempotency key (review J11): sending one rendered form twice (a double click,
/// Back and send again) is one booking, and both posts land on its "You're booked" page.
/// </summary>
public sealed class ConfirmTwiceTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task The_same_form_sent_twice_books_once_and_both_posts_land_on_the_booking()
    {
        var (b, alice, start, url) = await ConfirmAsync();
        var page = await alice.Http.PageAsync(url);
        var key = page.One("input[name='Input.FormKey']")?.GetAttribute("value");
        Assert.True(Guid.TryParse(key, out _), "The form carries a key.");

        var first = await alice.Http.SubmitAsync(page, new Dictionary<string, string>());
        var second = await alice.Http.SubmitAsync(page, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, first.Status);
        Assert.Equal(HttpStatusCode.Redirect, second.Status);
        Assert.StartsWith("/ol/booked?", first.Response.Headers.Location?.OriginalString, StringComparison.Ordinal);
        Assert.Equal(first.Response.Headers.Location, second.Response.Headers.Location);
        var booked = Assert.Single(await DiaryAppointmentsAsync(b, start));
        Assert.Contains(booked.GetProperty("id").GetString()!, first.Response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_posts_of_one_form_at_once_book_once()
    {
        var (b, alice, start, url) = await ConfirmAsync();
        var page = await alice.Http.PageAsync(url);

        var both = await Task.WhenAll(alice.Http.SubmitAsync(page, new Dictionary<string, string>()), alice.Http.SubmitAsync(page, new Dictionary<string, string>()));

        Assert.All(both, p => Assert.Equal(HttpStatusCode.Redirect, p.Status));
        Assert.Equal(both[0].Response.Headers.Location, both[1].Response.Headers.Location);
        Assert.Single(await DiaryAppointmentsAsync(b, start));
    }

    [Fact]
    public async Task Another_form_for_the_same_time_still_meets_the_conflict()
    {
        var (b, alice, start, url) = await ConfirmAsync();
        var page = await alice.Http.PageAsync(url);
        var again = await alice.Http.PageAsync(url); // another tab: another key
        Assert.NotEqual(page.One("input[name='Input.FormKey']")?.GetAttribute("value"), again.One("input[name='Input.FormKey']")?.GetAttribute("value"));

        Assert.Equal(HttpStatusCode.Redirect, (await alice.Http.SubmitAsync(page, new Dictionary<string, string>())).Status);
        var conflict = await alice.Http.SubmitAsync(again, new Dictionary<string, string>());

        // The other tab's booking is refused, not made twice: the client already holds that time (decision 198).
        Assert.Equal(HttpStatusCode.OK, conflict.Status);
        // It names the appointment the client already has there (decision 205).
        Assert.Matches("You already have .+ on .+\\. Choose another time, or see your appointments\\.", conflict.One("#error-summary")?.TextContent);
        Assert.Single(await DiaryAppointmentsAsync(b, start));
        Assert.StartsWith("/ol/appointments", conflict.One("#own-overlap a")?.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_post_leaves_the_forms_key_so_the_same_form_put_right_books_and_its_repeat_is_still_recognised()
    {
        var (b, alice, start, url) = await ConfirmAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        var rex = await PetAsync(alice, b, "Rex");
        var bella = await PetAsync(alice, b, "Bella");
        var page = await alice.Http.PageAsync(url);

        // No pet chosen: refused on its field, nothing booked, and the key not used up (decision 310).
        var refused = await alice.Http.SubmitAsync(page, new Dictionary<string, string> { ["Input.PetId"] = "" }, "main form");
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Contains("Choose who the appointment is for.", refused.One("#error-summary")?.TextContent, StringComparison.Ordinal);
        Assert.Empty(await DiaryAppointmentsAsync(b, start));

        // The same form (the same key) with Rex chosen books; sent again it lands on that booking, not a second one.
        var booked = await alice.Http.SubmitAsync(page, new Dictionary<string, string> { ["Input.PetId"] = rex.ToString() }, "main form");
        Assert.Equal(HttpStatusCode.Redirect, booked.Status);
        var repeat = await alice.Http.SubmitAsync(page, new Dictionary<string, string> { ["Input.PetId"] = rex.ToString() }, "main form");
        Assert.Equal(booked.Response.Headers.Location, repeat.Response.Headers.Location);
        Assert.Single(await DiaryAppointmentsAsync(b, start));

        // Once it booked, the key is that booking's: other details under it are still told apart.
        var other = await alice.Http.SubmitAsync(page, new Dictionary<string, string> { ["Input.PetId"] = bella.ToString() }, "main form");
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.Contains("This form was already sent with other details.", other.One("#error-summary")?.TextContent, StringComparison.Ordinal);
        Assert.Single(await DiaryAppointmentsAsync(b, start));
    }

    private static async Task<Guid> PetAsync(PortalClient client, Bookable b, string name) =>
        (await (await client.Http.PostAsync(new Uri($"/api/v1/portal/me/pets?name={b.Biz.Slug}", UriKind.Relative),
                System.Net.Http.Json.JsonContent.Create(new { name, species = "dog" })))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private async Task<(Bookable B, PortalClient Alice, DateTimeOffset Start, string Url)> ConfirmAsync()
    {
        var b = await shared.App.BookableAsync();
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var start = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(3), SchedulingApi.Day(3))).Starts()[2];
        var iso = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        return (b, alice, start, $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary={b.DiaryId}&start={Uri.EscapeDataString(iso)}");
    }

    private static async Task<List<System.Text.Json.JsonElement>> DiaryAppointmentsAsync(Bookable b, DateTimeOffset start)
    {
        var day = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={day}&to={day}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        return [.. diary.GetProperty("appointments").EnumerateArray().Where(a => a.GetProperty("start").GetDateTimeOffset() == start)];
    }
}
