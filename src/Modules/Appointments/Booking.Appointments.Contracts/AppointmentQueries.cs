using Mediator;

namespace Booking.Appointments.Contracts;

/// <summary>
/// Whether the client has any appointment at the current business, in any status: a booking request, a booking, and
/// ones since cancelled or declined (rows are never deleted). PortalAuth asks it for a phone new client whose row still
/// says they owe their first booking request: the request is committed here at once, while the event that clears the
/// row comes through the outbox moments later, so the row alone would say "awaiting" in between.
/// </summary>
public sealed record ClientHasAppointment(Guid ClientId) : IQuery<bool>;
