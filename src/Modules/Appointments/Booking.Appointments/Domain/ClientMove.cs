using Booking.BuildingBlocks.Data;
using NodaTime;

namespace Booking.Appointments.Domain;

/// <summary>
/// One move a client made of their own appointment in the portal (decision 326), one row per move: the appointment keeps
/// only its latest move (<see cref="Appointment.MovedAt"/>) and a running count, so how many times a client moved in the
/// last day is kept here, for <c>RecentMovesLimit</c>. Staff moves are not recorded (they are never limited). Whose move
/// it was is the appointment's client (a merge carries the moves with the appointments); it goes with its appointment.
/// </summary>
public sealed class ClientMove : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public Guid AppointmentId { get; set; }

    public Instant MovedAt { get; set; }
}
