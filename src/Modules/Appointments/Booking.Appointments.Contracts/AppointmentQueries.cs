using Mediator;

namespace Booking.Appointments.Contracts;

/// <summary>
/// Whether the client has any appointment at the current business, in any status: a booking request, a booking, and
/// ones since cancelled or declined (rows are never deleted). PortalAuth asks it for a phone new client whose row still
/// says they owe their first booking request: the request is committed here at once, while the event that clears the
/// row comes through the outbox moments later, so the row alone would say "awaiting" in between.
/// </summary>
public sealed record ClientHasAppointment(Guid ClientId) : IQuery<bool>;

/// <summary>
/// How many of one diary's appointments start after now and are still expected to happen: <see
/// cref="DiaryUpcoming.Appointments"/> confirmed (or with a cancellation asked for, its time held until staff answer),
/// <see cref="DiaryUpcoming.Requests"/> booking requests waiting for staff. The staff roster page asks it before
/// switching a diary off, so the owner hears what stays booked in it.
/// </summary>
public sealed record CountDiaryUpcoming(Guid DiaryId) : IQuery<DiaryUpcoming>;

public sealed record DiaryUpcoming(int Appointments, int Requests)
{
    public bool Any => Appointments + Requests > 0;
}

/// <summary>
/// Whether a client of the current business has ever booked through the portal (any status: a request, a booking, and
/// ones since cancelled or declined; rows are never deleted). Services asks it when nothing can be booked online, so the
/// portal can tell "not open yet" (never booked online) from "closed for now" (clients have booked online before).
/// </summary>
public sealed record HasPortalBookings : IQuery<bool>;

/// <summary>
/// Where one appointment of the current business stands now: its status and times; null when there is no such
/// appointment. Notifications asks it before sending a message of the log again, so an email about a request since
/// decided, or an appointment since cancelled or gone by, is not sent as if it were news.
/// </summary>
public sealed record GetAppointmentState(Guid AppointmentId) : IQuery<AppointmentState?>;

/// <summary>
/// Where each of these appointments of the current business stands now, by id, in one query; an id that is no
/// appointment of the business (another business's, none at all) is left out. The message log asks it once for a page
/// of messages, instead of <see cref="GetAppointmentState"/> per message.
/// </summary>
public sealed record GetAppointmentStates(IReadOnlyCollection<Guid> AppointmentIds) : IQuery<IReadOnlyDictionary<Guid, AppointmentState>>;

/// <param name="Status">As the API says it: <c>requested</c>, <c>confirmed</c>, <c>cancellation-requested</c>, <c>cancelled</c>, <c>declined</c>, <c>completed</c>, <c>no-show</c>.</param>
/// <param name="MovedAt">When it was last moved to another time or diary (decision 282); null when it never was. A message
/// written before it tells the time before the move (decision 286).</param>
public sealed record AppointmentState(string Status, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset? MovedAt = null);

/// <summary>
/// What a change of the business's time zone from <paramref name="FromZone"/> to <paramref name="ToZone"/> (IANA ids)
/// does to its upcoming appointments: they are stored as instants and keep them, so one whose start (or end) has another
/// UTC offset in the new zone is shown at another time of day. Upcoming: starting after now and still expected to happen
/// (a booking request waiting, confirmed, or with a cancellation asked for). Tenancy asks it before Setup → Business
/// details saves a new zone, so the owner hears what will read differently. An unknown zone counts as UTC.
/// </summary>
public sealed record CountShownTimeChanges(string FromZone, string ToZone) : IQuery<ShownTimeChanges>;

/// <param name="Upcoming">The upcoming appointments.</param>
/// <param name="Changing">Those whose start or end is shown at another time of day in the new zone.</param>
/// <param name="First">The soonest of those, or null when none changes.</param>
public sealed record ShownTimeChanges(int Upcoming, int Changing, ShownTimeChange? First);

/// <summary>One appointment whose shown times change: its instants (UTC), for the asker to write in either zone.</summary>
public sealed record ShownTimeChange(Guid AppointmentId, DateTimeOffset Start, DateTimeOffset End);
