using Booking.BuildingBlocks.Data;
using NodaTime;

namespace Booking.Appointments.Domain;

/// <summary>
/// A client merged away (PortalAuth's merge, decision 287), as Appointments knows it: written by
/// <c>MoveClientAppointments</c> in the transaction that moves the client's appointments, under the client's booking
/// lock. The database's trigger on appointments refuses any appointment saved for such a client afterwards
/// (<see cref="Data.AppointmentsDbContext.ClientMergedCheck"/>), so a booking under way during a merge never names a
/// deleted client (decision 299). <see cref="KeptClientId"/>: the record it went into.
/// </summary>
public sealed class MergedClient : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid ClientId { get; set; }

    public Guid KeptClientId { get; set; }

    public Instant MergedAt { get; set; }
}
