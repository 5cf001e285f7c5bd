using Mediator;

namespace Booking.Appointments.Contracts;

/// <summary>
/// The live appointments (requested, confirmed, cancellation-requested) of one diary that its hours on one local date
/// leave out: any part of the appointment on <see cref="Date"/> that no block of <see cref="Hours"/> covers. Empty
/// hours are a closed day. Roster asks it after saving a dated exception, so staff hear whom the new hours leave out;
/// nothing is changed or cancelled. Staff answers only: it names clients.
/// </summary>
public sealed record FindHoursClashes(Guid DiaryId, DateOnly Date, IReadOnlyList<ClockSpan> Hours) : IQuery<IReadOnlyList<AppointmentClash>>;

/// <summary>Local clock times after 00:00; <see cref="End"/> may be 24:00 (<c>TimeSpan.FromDays(1)</c>), the midnight ending the date.</summary>
public sealed record ClockSpan(TimeSpan Start, TimeSpan End);

/// <summary>An appointment that new hours or busy time clash with, as staff answers name it (times in the business's offset).</summary>
public sealed record AppointmentClash(Guid AppointmentId, DateTimeOffset Start, DateTimeOffset End, string ClientName, string ServiceName, string Status);
