using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

/// <summary>
/// A client may ask to cancel one appointment and take the request back twice (decision 309): each round emailed every
/// owner and admin twice and the diary contact, and added a withdrawal to the report. The third request is refused
/// (409 <c>cancellation-request-limit</c>, with the business's contact), nothing is sent, and the portal's pages say so
/// before the client tries: no Cancel link or button.
/// </summary>
public sealed class CancellationRequestLimitTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    [Fact]
    public async Task After_two_withdrawn_requests_the_client_cannot_ask_again_online_and_the_pages_say_call_the_business()
    {
        var b = await App.BookableAsync();
        var cara = await App.RegisterClientAsync(b.Biz);
        await b.Biz.SettingsAsync(s =>
        {
            s["cancellationPolicy"] = new JsonObject { ["hours"] = 48, ["text"] = "Two days' notice, please.", ["insideWindow"] = "request" };
            s["contact"] = new JsonObject { ["email"] = "hello@limit.example" };
        });
        var soon = (await (await cara.BookAsync(b, At(Day(1), 12))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var other = (await (await cara.BookAsync(b, At(Day(1), 15))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var keepUri = new Uri($"/api/v1/portal/appointments/{soon}/keep?name={b.Biz.Slug}", UriKind.Relative);
        async Task<JsonElement> Mine(Guid id) =>
            await (await cara.Http.GetAsync(new Uri($"/api/v1/portal/appointments/{id}?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);

        for (var round = 1; round <= 2; round++)
        {
            Assert.True((await Mine(soon)).GetProperty("canCancel").GetBoolean(), $"round {round}");
            await (await cara.Http.CancelAsync(b.Biz.Slug, soon, "Clash")).JsonAsync(HttpStatusCode.Accepted);
            await (await cara.Http.PostAsync(keepUri, null)).JsonAsync(HttpStatusCode.OK);
        }

        // Used up: the answers say so before the client tries, and the request itself is refused.
        var mine = await Mine(soon);
        Assert.False(mine.GetProperty("canCancel").GetBoolean());
        Assert.True(mine.GetProperty("cancellationRequestsUsedUp").GetBoolean());
        var listed = (await (await cara.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&when=upcoming", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().ToDictionary(a => a.GetProperty("id").GetGuid());
        Assert.False(listed[soon].GetProperty("canCancel").GetBoolean());
        Assert.True(listed[other].GetProperty("canCancel").GetBoolean()); // another appointment: untouched
        Assert.False(listed[other].GetProperty("cancellationRequestsUsedUp").GetBoolean());

        var refused = await (await cara.Http.CancelAsync(b.Biz.Slug, soon, "Clash again")).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("cancellation-request-limit", refused.GetProperty("type").GetString()!.Split('/')[^1]);
        Assert.Equal($"You asked to cancel this appointment and took the request back twice, so it cannot be asked online again. "
            + $"To cancel it now, please contact Business {b.Biz.Slug} at hello@limit.example.", refused.GetProperty("detail").GetString());
        Assert.Equal(2, refused.GetProperty("maxWithdrawals").GetInt32());
        Assert.Equal(2, (await App.OutboxAsync(b.Biz.Id, "CancellationRequested")).Count); // no third request, no new emails
        Assert.Equal("confirmed", (await Mine(soon)).GetProperty("status").GetString());
        var withdrawals = await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM appointments.cancellation_request_withdrawals WHERE tenant_id = @t", ("t", b.Biz.Id));
        Assert.Equal(2L, withdrawals);


        // My appointments: no Cancel link for it, the reason and the contact instead; the other keeps its link.
        var list = await cara.Http.PageAsync($"/ol/appointments?name={b.Biz.Slug}");
        Assert.Null(list.One($"#appointment-{soon} a.cancel"));
        Assert.Contains("took the request back twice, so it can no longer be cancelled online",
            list.One($"#appointment-{soon} .requests-used-up")?.TextContent, StringComparison.Ordinal);
        Assert.NotNull(list.One("#used-up-contact"));
        Assert.NotNull(list.One(".business-contact a[href='mailto:hello@limit.example']"));
        Assert.NotNull(list.One($"#appointment-{other} a.cancel"));

        // The Cancel page: says so with the contact, no button (not "the business decided to keep it").
        var page = await cara.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={soon}");
        Assert.NotNull(page.One("#requests-used-up"));
        Assert.DoesNotContain("decided to keep", page.Text, StringComparison.Ordinal);
        Assert.NotNull(page.One("#requests-used-up .business-contact a[href='mailto:hello@limit.example']"));
        Assert.Null(page.One("form button.danger"));
    }
}
