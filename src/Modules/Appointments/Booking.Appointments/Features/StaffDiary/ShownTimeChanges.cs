using Booking.Appointments.Contracts;
using Booking.Appointments.Data;
using Booking.Appointments.Domain;
using Mediator;
using Microsoft.EntityFrameworkCore;
using NodaTime;

namespace Booking.Appointments.Features.StaffDiary;

/// <summary>
/// <see cref="CountShownTimeChanges"/>: the business's upcoming appointments' instants, read soonest first (only the
/// id and the two instants), each compared by its start's and end's UTC offsets in the two zones (NodaTime's tzdb). Nothing is
/// written: appointments keep their instants whatever the zone.
/// </summary>
public sealed class CountShownTimeChangesHandler(AppointmentsDbContext db, TimeProvider clock) : IQueryHandler<CountShownTimeChanges, ShownTimeChanges>
{
    private static readonly string[] Live = [AppointmentStatus.Requested, AppointmentStatus.Confirmed, AppointmentStatus.CancellationRequested];

    public async ValueTask<ShownTimeChanges> Handle(CountShownTimeChanges query, CancellationToken cancellationToken)
    {
        var from = DateTimeZoneProviders.Tzdb.GetZoneOrNull(query.FromZone) ?? DateTimeZone.Utc;
        var to = DateTimeZoneProviders.Tzdb.GetZoneOrNull(query.ToZone) ?? DateTimeZone.Utc;
        var now = Instant.FromDateTimeOffset(clock.GetUtcNow());
        var upcoming = 0;
        var changing = 0;
        ShownTimeChange? first = null;
        await foreach (var a in db.Appointments.AsNoTracking()
                           .Where(a => a.StartAt > now && Live.Contains(a.Status))
                           .OrderBy(a => a.StartAt)
                           .Select(a => new { a.Id, a.StartAt, a.EndAt })
                           .AsAsyncEnumerable()
                           .WithCancellation(cancellationToken))
        {
            upcoming++;
            if (from.GetUtcOffset(a.StartAt) != to.GetUtcOffset(a.StartAt) || from.GetUtcOffset(a.EndAt) != to.GetUtcOffset(a.EndAt))
            {
                changing++;
                first ??= new ShownTimeChange(a.Id, a.StartAt.ToDateTimeOffset(), a.EndAt.ToDateTimeOffset());
            }
        }

        return new ShownTimeChanges(upcoming, changing, first);
    }
}
