using Microsoft.Extensions.Configuration;

namespace Booking.Appointments.Features.Scheduling;

/// <summary>
/// How long a booking whose save lost its connection may spend finding out whether it was saved (the read-back of
/// <see cref="BookingDesk"/>) and then releasing its Idempotency-Key (<see cref="Idempotency.IdempotentRequests"/>):
/// <c>Appointments:ReadBackSeconds</c>, 5 by default. A database that does not answer within it is taken as "not
/// known": 503 <c>booking-not-saved</c>, never a request that waits for as long as the database hangs.
/// </summary>
public sealed class ReadBack(IConfiguration configuration)
{
    public const string Setting = "Appointments:ReadBackSeconds";

    public TimeSpan Bound { get; } = TimeSpan.FromSeconds(Math.Max(0.1, configuration.GetValue(Setting, 5.0)));
}
