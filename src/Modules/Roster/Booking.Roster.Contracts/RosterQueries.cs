using Mediator;

namespace Booking.Roster.Contracts;

/// <summary>The current business's booking rules.</summary>
public sealed record GetBookingRules : IQuery<BookingRulesView>;

public sealed record BookingRulesView(int SlotIntervalMinutes, int MinimumNoticeMinutes, int HorizonDays);

/// <summary>Diaries of the current business; null ids = all of them.</summary>
public sealed record GetDiaries(IReadOnlyCollection<Guid>? Ids) : IQuery<IReadOnlyList<DiaryView>>;

public sealed record DiaryView(Guid Id, string Name, string ContactEmail, bool Active);

/// <summary>
/// For each active diary asked for and each local date in [From, To] (inclusive): the blocks of local time
/// clients may book online, after dated exceptions are applied. Dates with no online time are left out.
/// </summary>
public sealed record GetOnlineHours(IReadOnlyCollection<Guid> DiaryIds, DateOnly From, DateOnly To) : IQuery<IReadOnlyList<DiaryDayHours>>;

/// <summary>
/// For each diary asked for (active or not) and each local date in [From, To] (inclusive): every block of local time
/// the diary works, bookable online or not, after dated exceptions (closed: none; other hours replace the week's).
/// Touching blocks are joined; dates with no hours are left out. A diary with no weekly roster at all works the whole
/// of every date (00:00–24:00) that no exception sets. The staff diary asks it to mark appointments outside the
/// diary's hours.
/// </summary>
public sealed record GetWorkingHours(IReadOnlyCollection<Guid> DiaryIds, DateOnly From, DateOnly To) : IQuery<IReadOnlyList<DiaryDayHours>>;

public sealed record DiaryDayHours(Guid DiaryId, DateOnly Date, IReadOnlyList<LocalTimeBlock> Blocks);

/// <summary>
/// Start inclusive, end exclusive, in the business's local time, each as the clock time after 00:00 (whole minutes);
/// End &gt; Start. End may be 24:00 (<c>TimeSpan.FromDays(1)</c>): the block runs to the midnight that ends the date,
/// which is the start of the next local date. No block crosses midnight.
/// </summary>
public sealed record LocalTimeBlock(TimeSpan Start, TimeSpan End);
