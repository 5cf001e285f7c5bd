namespace Booking.IntegrationTests.Infrastructure;

/// <summary>
/// When every in-process consumer of an outbox event has run: the Hangfire jobs that carried it (its batch, and a job of
/// its own if it failed there) have all succeeded. A job publishes its events to all their consumers before it succeeds,
/// so a consumer that acts (an email written, a text sent) has acted by then; one that passes an event over leaves no
/// mark to wait for, and this is how a test knows it was passed over rather than not yet reached.
/// </summary>
public static class EventJobs
{
    public static async Task ConsumedAsync(BookingApp app, Guid eventId, string? what = null) =>
        await Eventually.ReturnsAsync(
            () => Sql.AdminScalarAsync<string>(app.Database.Database,
                """
                select count(*) filter (where statename = 'Succeeded') || ' succeeded, '
                    || count(*) filter (where statename not in ('Succeeded', 'Deleted')) || ' to run'
                from hangfire.job where arguments::text like @e
                """,
                ("e", $"%{eventId:D}%")),
            state => state is not null && !state.StartsWith("0 ", StringComparison.Ordinal) && state.EndsWith(", 0 to run", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            what ?? $"event {eventId} consumed");
}
