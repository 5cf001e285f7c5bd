using Mediator;

namespace Booking.Roster.Contracts;

/// <summary>The current business's booking rules.</summary>
public sealed record GetBookingRules : IQuery<BookingRulesView>;

/// <summary>
/// The booking rules. DayBeforeCutoff (decision 290): "HH:mm", the local time the day before at which online bookings for
/// a date close (so none on the same day); null for none. The earliest online start is the later of now + the minimum
/// notice and the start of the first date the cut-off leaves open.
/// </summary>
public sealed record BookingRulesView(int SlotIntervalMinutes, int MinimumNoticeMinutes, int HorizonDays, string? DayBeforeCutoff = null);

/// <summary>Diaries of the current business; null ids = all of them.</summary>
public sealed record GetDiaries(IReadOnlyCollection<Guid>? Ids) : IQuery<IReadOnlyList<DiaryView>>;

/// <summary>A diary: <see cref="ContactEmail"/> is "" when it has none (a room or equipment may have none); <see cref="Kind"/> one of <see cref="DiaryKinds"/>.</summary>
public sealed record DiaryView(Guid Id, string Name, string ContactEmail, bool Active, string Kind = DiaryKinds.Person)
{
    /// <summary>"with Aoife" or "— Room Two" (<see cref="DiaryKinds.With"/>).</summary>
    public string With => DiaryKinds.With(Kind, Name);
}

/// <summary>
/// What a diary is (decision 280): a <see cref="Person"/> (a practitioner, a groomer: the default) or a
/// <see cref="Resource"/> (a room or a piece of equipment: "Room Two", "Sunbed"). Two values: all the words and rules
/// that differ (how the diary is named to people, whether it needs a contact email) differ only between "someone" and
/// "something"; a room and a table read alike.
/// </summary>
public static class DiaryKinds
{
    public const string Person = "person";
    public const string Resource = "resource";

    public static readonly IReadOnlyList<string> All = [Person, Resource];

    public static bool IsResource(string? kind) => string.Equals(kind, Resource, StringComparison.Ordinal);

    /// <summary>
    /// The diary named after what is booked: "with Aoife" for a person, "— Room Two" for a room or equipment. No
    /// preposition is right for every thing a business names (in Room Two, on Grooming table 2, at the Sunbed), so a
    /// resource is named after a dash, which reads right for any of them: "Full groom — Grooming table 2".
    /// </summary>
    public static string With(string? kind, string name) => IsResource(kind) ? $"— {name}" : $"with {name}";
}

/// <summary>
/// For each active diary asked for and each local date in [From, To] (inclusive): the blocks of local time
/// clients may book online, after dated exceptions are applied. Dates with no online time are left out, and so are
/// the dates the business is closed (<see cref="GetBusinessClosedDays"/>).
/// </summary>
/// <summary>
/// The business's hours version the cached roster was read at (decision 347): Roster's saves that cut hours raise it under
/// the business's hours lock, so a booking that read the hours (<see cref="GetOnlineHours"/>, asked after this) and later
/// finds another version under the lock SHARED judges its time again. <see cref="Fresh"/>: this instance's cached roster is
/// dropped first, so the version and the hours read after it come from the database. No statement otherwise (cached).
/// </summary>
public sealed record GetHoursVersion(bool Fresh = false) : IQuery<long>;

public sealed record GetOnlineHours(IReadOnlyCollection<Guid> DiaryIds, DateOnly From, DateOnly To) : IQuery<IReadOnlyList<DiaryDayHours>>;

/// <summary>
/// For each diary asked for (active or not) and each local date in [From, To] (inclusive): every block of local time
/// the diary works, bookable online or not, after dated exceptions (closed: none; other hours replace the week's).
/// Touching blocks are joined; dates with no hours are left out. A diary with no weekly roster at all works the whole
/// of every date (00:00–24:00) that no exception sets. A date the business is closed has no hours for any diary. The
/// staff diary asks it to mark appointments outside the diary's hours.
/// </summary>
public sealed record GetWorkingHours(IReadOnlyCollection<Guid> DiaryIds, DateOnly From, DateOnly To) : IQuery<IReadOnlyList<DiaryDayHours>>;

/// <summary>
/// The local dates in [From, To] (inclusive) the whole business is closed (decision 289), by date, each with its label
/// ("" for none). <see cref="GetOnlineHours"/> and <see cref="GetWorkingHours"/> already give those dates no hours; the
/// staff diary and the portal ask this to say why.
/// </summary>
public sealed record GetBusinessClosedDays(DateOnly From, DateOnly To) : IQuery<IReadOnlyList<BusinessClosedDayView>>;

public sealed record BusinessClosedDayView(DateOnly Date, string Label);

public sealed record DiaryDayHours(Guid DiaryId, DateOnly Date, IReadOnlyList<LocalTimeBlock> Blocks);

/// <summary>
/// Start inclusive, end exclusive, in the business's local time, each as the clock time after 00:00 (whole minutes);
/// End &gt; Start. End may be 24:00 (<c>TimeSpan.FromDays(1)</c>): the block runs to the midnight that ends the date,
/// which is the start of the next local date. No block crosses midnight.
/// </summary>
public sealed record LocalTimeBlock(TimeSpan Start, TimeSpan End);
