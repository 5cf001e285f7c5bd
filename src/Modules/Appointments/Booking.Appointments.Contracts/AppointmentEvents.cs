using Booking.BuildingBlocks.Contracts;

namespace Booking.Appointments.Contracts;

/// <summary>Where a change came from. The seed's notifications fire for Portal; staff changes are an opt-in.</summary>
public static class ChangeSources
{
    public const string Portal = "portal";
    public const string Staff = "staff";
}

// PetId, on every appointment event: the pet the appointment is for; null when it is for the client (no pet), and in
// events other than AppointmentBooked written before it was added.
// Note, on AppointmentBooked, BookingRequested and AppointmentCancelled: the note left with the booking (the client's
// "Note for <business>" at the portal, or staff's note in the diary; Source says which); null when none, and in events
// written before it was added (the outbox's JSON without it reads as null).
// ClientAwaitingFirstRequest, on AppointmentBooked and BookingRequested: whether the client's row said, when the booking
// read the client, that they still owed their first booking request (PortalAuth's mark; a phone new client). The mark is
// only ever cleared, so false stays true of the row and PortalAuth has nothing to clear; true, or null (an event
// written before it was added, or a change that did not read the client), has it clear the mark if it is still there.

/// <summary>
/// An appointment was booked (status confirmed). Instants are UTC; the tenant's zone converts them.
/// PreviousStatus: the status it had before ("requested" when staff accepted a booking request), null for a new
/// booking and in events written before it was added. ChangedAt: when the change was made (null in events written
/// before it was added); a change made after the start (staff recording a past visit) is not news to the client.
/// CancellationHours and CancellationInsideWindow (<c>refuse</c> or <c>request</c>): the cancellation policy the appointment
/// keeps (decision 270), which may be older than the business's when a request is accepted days later, so the client's
/// confirmation states the window the portal will hold them to (decision 273); null in events written before they were
/// added, and for rows kept without terms: the business's current policy then.
/// </summary>
public sealed record AppointmentBooked(
    Guid EventId, Guid TenantId, Guid AppointmentId, Guid ClientId, Guid? PetId, Guid DiaryId, Guid ServiceId,
    DateTimeOffset Start, DateTimeOffset End, string Source, string? PreviousStatus = null, DateTimeOffset? ChangedAt = null,
    string? Note = null, bool? ClientAwaitingFirstRequest = null, int? CancellationHours = null,
    string? CancellationInsideWindow = null) : IIntegrationEvent;

/// <summary>
/// An appointment was cancelled. PreviousStatus: "confirmed", "requested" (a booking request withdrawn or cancelled
/// before anyone accepted it), or "cancellation-requested" (staff accepted the client's cancellation request);
/// null in events written before it was added. ChangedAt: as on <see cref="AppointmentBooked"/>.
/// </summary>
public sealed record AppointmentCancelled(
    Guid EventId, Guid TenantId, Guid AppointmentId, Guid ClientId, Guid DiaryId, Guid ServiceId,
    DateTimeOffset Start, DateTimeOffset End, string Source, string? Reason, string? PreviousStatus = null, DateTimeOffset? ChangedAt = null,
    Guid? PetId = null, string? Note = null) : IIntegrationEvent;

/// <summary>
/// A client asked to cancel inside the policy window where the business takes requests (status cancellation-requested).
/// Staff decide; the decision arrives as AppointmentCancelled (accepted) or BookingRequestDecided (declined).
/// </summary>
public sealed record CancellationRequested(
    Guid EventId, Guid TenantId, Guid AppointmentId, Guid ClientId, Guid DiaryId, Guid ServiceId,
    DateTimeOffset Start, DateTimeOffset End, string Source, string? Reason, Guid? PetId = null) : IIntegrationEvent;

/// <summary>
/// The client withdrew their cancellation request before staff decided it ("Keep my appointment"): the appointment is
/// confirmed again. RequestEventId: the <see cref="CancellationRequested"/> event of the request withdrawn (null for a
/// request filed before it was kept), so Notifications tells only those its emails may have reached, and sends neither
/// where they had not gone yet. WithdrawnAt: when.
/// </summary>
public sealed record CancellationRequestWithdrawn(
    Guid EventId, Guid TenantId, Guid AppointmentId, Guid ClientId, Guid DiaryId, Guid ServiceId,
    DateTimeOffset Start, DateTimeOffset End, DateTimeOffset WithdrawnAt, Guid? RequestEventId, Guid? PetId = null) : IIntegrationEvent;

/// <summary>A client asked for a booking (a new client, or a business that approves bookings); status requested.</summary>
public sealed record BookingRequested(
    Guid EventId, Guid TenantId, Guid AppointmentId, Guid ClientId, Guid DiaryId, Guid ServiceId,
    DateTimeOffset Start, DateTimeOffset End, string Source, Guid? PetId = null, string? Note = null, bool? ClientAwaitingFirstRequest = null) : IIntegrationEvent;

/// <summary>
/// Staff accepted or declined a booking or cancellation request. Kind: "booking" or "cancellation". An accept also
/// raises AppointmentBooked / AppointmentCancelled (with PreviousStatus), which is what tells the client.
/// The appointment's diary, service, start and end were added later (so an accepted request can carry an .ics);
/// they are null in events written before that.
/// </summary>
public sealed record BookingRequestDecided(
    Guid EventId, Guid TenantId, Guid AppointmentId, Guid ClientId, string Kind, bool Accepted, string? Reason,
    Guid? DiaryId = null, Guid? ServiceId = null, DateTimeOffset? Start = null, DateTimeOffset? End = null,
    Guid? PetId = null) : IIntegrationEvent;

/// <summary>
/// A live (confirmed) appointment was moved to another time, and perhaps another diary, keeping its id, its kept
/// cancellation terms and price (decision 282). Start, End and DiaryId: where it is now; PreviousStart, PreviousEnd and
/// PreviousDiaryId: where it was. Source: who moved it (<c>portal</c>: the client; <c>staff</c>). ChangedAt: when, which
/// also orders the client's calendar file (its SEQUENCE) above the booking's. CancellationHours and
/// CancellationInsideWindow: the terms the appointment keeps, as on <see cref="AppointmentBooked"/>.
/// </summary>
public sealed record AppointmentMoved(
    Guid EventId, Guid TenantId, Guid AppointmentId, Guid ClientId, Guid? PetId, Guid DiaryId, Guid ServiceId,
    DateTimeOffset Start, DateTimeOffset End, Guid PreviousDiaryId, DateTimeOffset PreviousStart, DateTimeOffset PreviousEnd,
    string Source, DateTimeOffset ChangedAt, string? Note = null, int? CancellationHours = null, string? CancellationInsideWindow = null) : IIntegrationEvent;
