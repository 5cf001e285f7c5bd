using System.Linq.Expressions;
using Booking.Appointments.Domain;
using NodaTime;

namespace Booking.Appointments.Features.Scheduling;

/// <summary>
/// When a client's appointment overlaps another of their own (the portal refuses it, <see cref="SchedulingProblems.OwnOverlap"/>;
/// staff are asked to confirm it, <c>client-booked</c>, decision 338): the other is live (requested, confirmed or
/// cancellation-requested), its time (start to end, buffer not counted) overlaps, and, unless both are for pets and the
/// pets differ (a pet business books several pets at once), whatever the pets. One rule, in two forms: a query's
/// (<see cref="Of"/>) and in memory (<see cref="Holds"/>). The portal booking's statement says the same in SQL
/// (BookingDesk's <c>VerdictSql</c>, <c>own.clash</c>), and so does a portal move's statement under the client's lock
/// (<c>ClientMoveSql</c>, decision 335); those two share one text, BookingDesk's <c>OwnClashSql</c> and <c>OwnLiveSql</c>
/// (decision 341). <c>OwnOverlapAgreementTests</c> runs one table of cases through all three paths.
/// </summary>
public static class OwnOverlap
{
    /// <summary>The client's live appointments overlapping start–end that clash with a booking for <paramref name="petId"/> (null: no pet).</summary>
    public static Expression<Func<Appointment, bool>> Of(Guid clientId, Instant start, Instant end, Guid? petId) =>
        o => o.ClientId == clientId && o.StartAt < end && o.EndAt > start
            && (o.Status == AppointmentStatus.Requested || o.Status == AppointmentStatus.Confirmed || o.Status == AppointmentStatus.CancellationRequested)
            && (petId == null || o.PetId == null || o.PetId == petId);

    /// <summary><see cref="Of"/> in memory, for appointments already read.</summary>
    public static bool Holds(Appointment o, Guid clientId, Instant start, Instant end, Guid? petId) =>
        o.ClientId == clientId && o.StartAt < end && o.EndAt > start
        && o.Status is AppointmentStatus.Requested or AppointmentStatus.Confirmed or AppointmentStatus.CancellationRequested
        && (petId is null || o.PetId is null || o.PetId == petId);

    /// <summary>Either condition, as one predicate a query translates (the second's parameter replaced by the first's).</summary>
    public static Expression<Func<Appointment, bool>> Or(Expression<Func<Appointment, bool>> first, Expression<Func<Appointment, bool>> second) =>
        Expression.Lambda<Func<Appointment, bool>>(
            Expression.OrElse(first.Body, Microsoft.EntityFrameworkCore.Query.ReplacingExpressionVisitor.Replace(second.Parameters[0], first.Parameters[0], second.Body)),
            first.Parameters[0]);
}
