using Mediator;

namespace Booking.Appointments.Contracts;

/// <summary>
/// The live appointments (requested, confirmed, cancellation-requested) of one diary that its hours on one local date
/// leave out: any part of the appointment on <see cref="Date"/> that no block of <see cref="Hours"/> covers. Empty
/// hours are a closed day. Roster asks it after saving a dated exception, so staff hear whom the new hours leave out;
/// nothing is changed or cancelled. Staff answers only: it names clients. With <see cref="LastDate"/>, the same hours on
/// every date from <see cref="Date"/> to it (an exception saved over a range of dates): one list, each appointment once.
/// </summary>
public sealed record FindHoursClashes(Guid DiaryId, DateOnly Date, IReadOnlyList<ClockSpan> Hours, DateOnly? LastDate = null) : IQuery<IReadOnlyList<AppointmentClash>>;

/// <summary>
/// The live appointments of one diary that start from now on, up to the end of <see cref="To"/>, which the diary's
/// hours of the dates <see cref="From"/>–<see cref="To"/> leave out: any part of the appointment on those dates that no
/// block of its date in <see cref="Days"/> covers (a date not given has no hours; time after <see cref="To"/> counts as
/// covered). Roster asks it after the weekly roster is replaced, with the working hours the new roster gives those
/// dates, so staff hear whom the change leaves out; nothing is changed or cancelled. Staff answers only: it names clients.
/// </summary>
public sealed record FindUpcomingHoursClashes(Guid DiaryId, DateOnly From, DateOnly To, IReadOnlyList<DayHours> Days) : IQuery<IReadOnlyList<AppointmentClash>>;

/// <summary>
/// The live appointments of one diary that the given dates' hours leave out: any part of the appointment on a date of
/// <see cref="Days"/> that no block of that date covers (empty hours: a closed day), past or not; time on dates not given
/// counts as covered (the dates may be apart). Roster asks it after removing dated exceptions, with the hours those
/// dates have without them (the weekly roster's), so staff hear whom the removal leaves out; nothing is changed or
/// cancelled. Staff answers only: it names clients. Each appointment once, by start.
/// </summary>
public sealed record FindHoursClashesOnDates(Guid DiaryId, IReadOnlyList<DayHours> Days) : IQuery<IReadOnlyList<AppointmentClash>>;

/// <summary>One date's hours (<see cref="FindUpcomingHoursClashes"/>, <see cref="FindHoursClashesOnDates"/>); empty hours are a day off.</summary>
public sealed record DayHours(DateOnly Date, IReadOnlyList<ClockSpan> Hours);

/// <summary>Local clock times after 00:00; <see cref="End"/> may be 24:00 (<c>TimeSpan.FromDays(1)</c>), the midnight ending the date.</summary>
public sealed record ClockSpan(TimeSpan Start, TimeSpan End);

/// <summary>An appointment that new hours or busy time clash with, as staff answers name it (times in the business's offset).</summary>
public sealed record AppointmentClash(Guid AppointmentId, DateTimeOffset Start, DateTimeOffset End, string ClientName, string ServiceName, string Status)
{
    /// <summary>
    /// The pet it is for, as {<c>id</c>, <c>name</c>}: set only where the answer says it (a merge's overlaps, decision 338);
    /// left out otherwise and for an appointment for no pet.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ClashPet? Pet { get; init; }
}

/// <summary>A pet an <see cref="AppointmentClash"/> is for.</summary>
public sealed record ClashPet(Guid Id, string Name);
