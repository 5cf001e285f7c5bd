using System.Net;
using System.Text.Json;
using Booking.Appointments.Features.Idempotency;
using Booking.IntegrationTests.Infrastructure;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Appointments;

public sealed class IdempotencyCleanupAndPagingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private async Task InsertKeyAsync(Guid tenantId, string key, TimeSpan age) =>
        await Sql.AdminExecAsync(App.Database.Database, """
            INSERT INTO appointments.idempotency_keys (tenant_id, caller_id, key, request_hash, status_code, response_body, created_at)
            VALUES (@t, @c, @k, 'hash', 201, '{}', now() - @age)
            """, ("t", tenantId), ("c", Guid.NewGuid()), ("k", key), ("age", age));

    private async Task<long> KeysAsync(Guid tenantId, string key) =>
        await Sql.AdminScalarAsync<long>(App.Database.Database,
            "SELECT count(*) FROM appointments.idempotency_keys WHERE tenant_id = @t AND key = @k", ("t", tenantId), ("k", key));

    [Fact]
    public async Task The_recurring_cleanup_fans_out_to_every_tenant_and_deletes_only_keys_older_than_24_hours()
    {
        var a = await App.SignUpBusinessAsync("idem");
        var b = await App.SignUpBusinessAsync("idem");
        foreach (var tenant in new[] { a.Id, b.Id })
        {
            await InsertKeyAsync(tenant, "old", TimeSpan.FromHours(25));
            await InsertKeyAsync(tenant, "fresh", TimeSpan.FromHours(23));
        }

        // Registered at start as a global recurring job.
        using (var connection = App.Services.GetRequiredService<JobStorage>().GetConnection())
        {
            var job = Assert.Single(connection.GetRecurringJobs(), j => j.Id == IdempotencyKeyCleanup.RecurringJobId);
            Assert.Equal(typeof(Booking.BuildingBlocks.Jobs.TenantSweep<PurgeExpiredIdempotencyKeys>), job.Job.Type);
            Assert.False(string.IsNullOrEmpty(job.Cron));
        }

        App.Services.GetRequiredService<IRecurringJobManager>().Trigger(IdempotencyKeyCleanup.RecurringJobId);

        await Eventually.ReturnsAsync(async () => await KeysAsync(a.Id, "old") + await KeysAsync(b.Id, "old"), n => n == 0,
            TimeSpan.FromSeconds(60), "expired keys of both tenants deleted");
        Assert.Equal(1, await KeysAsync(a.Id, "fresh"));
        Assert.Equal(1, await KeysAsync(b.Id, "fresh"));
    }

    private static async Task<(List<JsonElement> Items, string? Next)> PageAsync(PortalClient client, Bookable b, string when, int limit, string? cursor)
    {
        var url = $"/api/v1/portal/appointments?name={b.Biz.Slug}&when={when}&limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
        var json = await (await client.Http.GetAsync(new Uri(url, UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var next = json.GetProperty("nextCursor");
        return (json.GetProperty("items").EnumerateArray().ToList(), next.ValueKind == JsonValueKind.Null ? null : next.GetString());
    }

    private static async Task<List<List<JsonElement>>> AllPagesAsync(PortalClient client, Bookable b, string when, int limit)
    {
        var pages = new List<List<JsonElement>>();
        string? cursor = null;
        do
        {
            (var items, cursor) = await PageAsync(client, b, when, limit, cursor);
            pages.Add(items);
        }
        while (cursor is not null && pages.Count < 20);

        return pages;
    }

    [Fact]
    public async Task Portal_appointment_lists_page_with_an_opaque_cursor_in_order_without_gaps_or_repeats()
    {
        var b = await App.BookableAsync();
        var alice = await App.RegisterClientAsync(b.Biz);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add((await (await alice.BookAsync(b, At(Day(3 + i), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid());
        }

        var upcoming = await AllPagesAsync(alice, b, "upcoming", 2);
        Assert.Equal([2, 2, 1], upcoming.Select(p => p.Count));
        Assert.Equal(ids, upcoming.SelectMany(p => p).Select(x => x.GetProperty("id").GetGuid()));

        var everything = await PageAsync(alice, b, "upcoming", 200, null);
        Assert.Equal(5, everything.Items.Count);
        Assert.Null(everything.Next);

        foreach (var id in ids.Take(3))
        {
            await (await alice.Http.CancelAsync(b.Biz.Slug, id, "Away")).JsonAsync(HttpStatusCode.OK);
        }

        // Past (cancelled included) runs newest first.
        var past = await AllPagesAsync(alice, b, "past", 2);
        Assert.Equal([2, 1], past.Select(p => p.Count));
        Assert.Equal(ids.Take(3).Reverse(), past.SelectMany(p => p).Select(x => x.GetProperty("id").GetGuid()));
        Assert.All(past.SelectMany(p => p), x => Assert.Equal("cancelled", x.GetProperty("status").GetString()));

        // Without limit: the default page; the shape keeps `items` for clients that ignore paging.
        var first = await (await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("nextCursor").ValueKind);

        // A cursor is bound to its list; bad limits and forged cursors are validation errors.
        var (_, upcomingCursor) = await PageAsync(alice, b, "upcoming", 1, null);
        Assert.NotNull(upcomingCursor);
        foreach (var query in new[]
        {
            $"when=past&cursor={Uri.EscapeDataString(upcomingCursor)}", "limit=0", "limit=201", "limit=abc", "cursor=not-a-cursor",
        })
        {
            var response = await alice.Http.GetAsync(new Uri($"/api/v1/portal/appointments?name={b.Biz.Slug}&{query}", UriKind.Relative));
            Assert.Equal("validation", await response.KindAsync(HttpStatusCode.BadRequest));
        }
    }
}
