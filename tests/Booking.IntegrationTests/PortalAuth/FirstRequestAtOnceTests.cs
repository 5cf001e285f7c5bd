using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Booking.Appointments.Contracts;
using Booking.BuildingBlocks.Jobs;
using Booking.BuildingBlocks.Outbox;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.PortalAuth.Domain;
using Microsoft.Extensions.DependencyInjection;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// A phone new client's first booking request opens their portal at once, everywhere, not when its event has come
/// through the outbox: on an app whose Hangfire runs no job, the client's row keeps saying "awaiting" (each test checks
/// it does), so only what Appointments holds can tell that the request is there.
/// </summary>
public sealed class FirstRequestAtOnceTests(PortalAuthAppWithoutJobs fixture) : IClassFixture<PortalAuthAppWithoutJobs>
{
    private BookingApp App => fixture.App;

    private static Task<HttpResponseMessage> ListAsync(HttpClient http, string slug) =>
        http.GetAsync(new Uri($"/api/v1/portal/appointments?name={slug}&when=upcoming", UriKind.Relative));

    [Fact]
    public async Task Signing_in_again_right_after_the_first_request_says_it_waits_and_a_session_from_before_opens_too()
    {
        var b = await App.BookableAsync();
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true };
        var mobile = PortalAuthHelpers.NewMobile();
        var joined = fixture.NewClient();
        var clientId = Guid.Parse(await joined.JoinByPhoneAsync(b.Biz.Slug, mobile));

        // Signed in on a second device before the request: limited, as it should be.
        var (before, earlier) = await SignInAgainAsync(b, mobile, textsSoFar: 1);
        Assert.True(before.GetProperty("awaitingFirstRequest").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, (await ListAsync(earlier, b.Biz.Slug)).StatusCode);

        var start = (await joined.SlotsAsync(b, Day(4), Day(4))).Starts()[1];
        var requested = await (await joined.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        Assert.True(await RowSaysAwaitingAsync(clientId), "the event reached PortalAuth; this test needs it held back");

        // At once, on a third device: signed in with the request waiting, not sent to book a first time again.
        var (after, third) = await SignInAgainAsync(b, mobile, textsSoFar: 2);
        Assert.Equal("signed-in", after.GetProperty("outcome").GetString());
        Assert.Equal("pending-approval", after.GetProperty("clientStatus").GetString());
        Assert.False(after.GetProperty("awaitingFirstRequest").GetBoolean());
        var listed = await (await ListAsync(third, b.Biz.Slug)).JsonAsync(HttpStatusCode.OK);
        var item = Assert.Single(listed.GetProperty("items").EnumerateArray());
        Assert.Equal(requested.GetProperty("id").GetGuid(), item.GetProperty("id").GetGuid());
        Assert.Equal("requested", item.GetProperty("status").GetString());

        // The session from before the request opens as well.
        await (await ListAsync(earlier, b.Biz.Slug)).JsonAsync(HttpStatusCode.OK);
        Assert.True(await RowSaysAwaitingAsync(clientId));
    }

    [Fact]
    public async Task Signing_in_on_the_phone_pages_right_after_the_first_request_lands_on_the_waiting_request()
    {
        var b = await App.BookableAsync();
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true };
        var mobile = PortalAuthHelpers.NewMobile();
        var joined = fixture.NewClient();
        var clientId = Guid.Parse(await joined.JoinByPhoneAsync(b.Biz.Slug, mobile));
        var start = (await joined.SlotsAsync(b, Day(5), Day(5))).Starts()[1];
        await (await joined.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start, petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        Assert.True(await RowSaysAwaitingAsync(clientId), "the event reached PortalAuth; this test needs it held back");

        await fixture.AssertPhoneSignInShowsTheWaitingRequestAsync(b.Biz.Slug, mobile);
    }

    [Fact]
    public async Task Only_a_booking_that_found_the_mark_has_it_cleared_and_an_event_from_before_the_field_still_clears_it()
    {
        var b = await App.BookableAsync();
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true };
        var joined = fixture.NewClient();
        var clientId = Guid.Parse(await joined.JoinByPhoneAsync(b.Biz.Slug, PortalAuthHelpers.NewMobile()));
        var starts = (await joined.SlotsAsync(b, Day(6), Day(6))).Starts();
        using var trips = new RoundTrips();

        // The first request: the booking read the client with the mark, and says so; its event clears it.
        await (await joined.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = starts[0], petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        var first = (await App.OutboxAsync(b.Biz.Id, nameof(BookingRequested))).Single();
        Assert.True(JsonSerializer.Deserialize<BookingRequested>(first, OutboxMessage.Json)!.ClientAwaitingFirstRequest);
        Assert.Contains(await DeliverAsync(trips, b.Biz.Id, first), t => t.Contains("UPDATE portalauth.clients", StringComparison.Ordinal));
        Assert.False(await RowSaysAwaitingAsync(clientId));

        // The next request: the booking found no mark (none is ever set again), and its event updates nothing.
        await (await joined.BookAsync(b, new { serviceId = b.ServiceId, diaryId = b.DiaryId, start = starts[^1], petId = (Guid?)null, acceptedTermsVersion = (int?)null, note = (string?)null }))
            .JsonAsync(HttpStatusCode.Created);
        var second = (await App.OutboxAsync(b.Biz.Id, nameof(BookingRequested)))[1];
        Assert.False(JsonSerializer.Deserialize<BookingRequested>(second, OutboxMessage.Json)!.ClientAwaitingFirstRequest);
        Assert.DoesNotContain(await DeliverAsync(trips, b.Biz.Id, second), t => t.Contains("UPDATE portalauth.clients", StringComparison.Ordinal));

        // An event written before the booking said it (no such field in its JSON) clears the mark as before.
        await Sql.AdminExecAsync(App.Database.Database, "update portalauth.clients set awaiting_first_request = true where id = @id", ("id", clientId));
        var older = JsonNode.Parse(second)!.AsObject();
        Assert.True(older.Remove(older.Select(p => p.Key).Single(k => k.Equals(nameof(BookingRequested.ClientAwaitingFirstRequest), StringComparison.OrdinalIgnoreCase))));
        Assert.Null(JsonSerializer.Deserialize<BookingRequested>(older.ToJsonString(), OutboxMessage.Json)!.ClientAwaitingFirstRequest);
        await DeliverAsync(trips, b.Biz.Id, older.ToJsonString());
        Assert.False(await RowSaysAwaitingAsync(clientId));
    }

    /// <summary>The event's consumers, run here (this app's Hangfire runs no job): the round trips they made.</summary>
    private async Task<IReadOnlyList<string>> DeliverAsync(RoundTrips trips, Guid tenantId, string payload)
    {
        var evt = JsonSerializer.Deserialize<BookingRequested>(payload, OutboxMessage.Json)!;
        using var scope = App.Services.CreateScope();
        var job = scope.ServiceProvider.GetRequiredService<IntegrationEventJob>();
        using var activity = RoundTrips.Start("consume");
        await job.DeliverAsync(tenantId, evt.EventId, OutboxMessage.TypeName(typeof(BookingRequested)), payload, CancellationToken.None);
        return trips.Of(activity.TraceId);
    }

    private async Task<bool> RowSaysAwaitingAsync(Guid clientId) =>
        await Sql.AdminScalarAsync<bool>(App.Database.Database, "select awaiting_first_request from portalauth.clients where id = @id", ("id", clientId));

    /// <summary>Phone sign-in on a new device, 31 s after the last code: the verify answer and the signed-in client.</summary>
    private async Task<(JsonElement Answer, HttpClient Http)> SignInAgainAsync(Bookable b, string mobile, int textsSoFar)
    {
        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        var http = fixture.NewClient();
        var attempt = (await (await http.StartAsync(b.Biz.Slug, mobile)).JsonAsync()).GetProperty("attemptId").GetString()!;
        var verified = await http.VerifyAsync(b.Biz.Slug, attempt, await http.CodeSentToAsync(mobile, textsSoFar + 1));
        return (await verified.JsonAsync(HttpStatusCode.OK), http);
    }
}
