using Booking.BuildingBlocks.Contracts;

namespace Booking.Appointments.Contracts;

/// <summary>Where a change came from. The seed's notifications fire for Portal; staff changes are an opt-in.</summary>
public static class ChangeSources
{
    public const string Portal = "portal";
    public const string Staff = "staff";
}

/// <summary>An appointment was booked (status confirmed). Instants are UTC; the tenant's zone converts them.</summary>
public sealed record AppointmentBooked(
    Guid EventId, Guid TenantId, Guid AppointmentId, Guid ClientId, Guid? PetId, Guid DiaryId, Guid ServiceId,
    DateTimeOffset Start, DateTimeOffset End, string Source) : IIntegrationEvent;

public sealed record AppointmentCancelled(
    Guid EventId, Guid TenantId, Guid AppointmentId, Guid ClientId, Guid DiaryId, Guid ServiceId,
    DateTimeOffset Start, DateTimeOffset End, string Source, string? Reason) : IIntegrationEvent;

/// <summary>A client asked for a booking (a new client, or a business that approves bookings); status requested.</summary>
public sealed record BookingRequested(
    Guid EventId, Guid TenantId, Guid AppointmentId, Guid ClientId, Guid DiaryId, Guid ServiceId,
    DateTimeOffset Start, DateTimeOffset End, string Source) : IIntegrationEvent;

/// <summary>
/// Staff accepted or declined a booking or cancellation request. Kind: "booking" or "cancellation".
/// The appointment's diary, service, start and end were added later (so an accepted request can carry an .ics);
/// they are null in events written before that.
/// </summary>
public sealed record BookingRequestDecided(
    Guid EventId, Guid TenantId, Guid AppointmentId, Guid ClientId, string Kind, bool Accepted, string? Reason,
    Guid? DiaryId = null, Guid? ServiceId = null, DateTimeOffset? Start = null, DateTimeOffset? End = null) : IIntegrationEvent;
