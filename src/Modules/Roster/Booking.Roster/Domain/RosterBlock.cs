using Booking.BuildingBlocks.Data;
using Booking.Roster.Contracts;

namespace Booking.Roster.Domain;

/// <summary>
/// A weekly block of a diary's working time, in the business's local time. Start and End are clock times as the time
/// after 00:00: Start 00:00–23:59, End after Start and at most 24:00 (<see cref="RosterFormats.EndOfDay"/>, the midnight
/// that ends the day), so a shift may run to midnight but never across it.
/// </summary>
public sealed class RosterBlock : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public Guid DiaryId { get; set; }

    public DayOfWeek Weekday { get; set; }

    public TimeSpan Start { get; set; }

    public TimeSpan End { get; set; }

    public bool BookableOnline { get; set; }
}

/// <summary>A diary's different hours on one local date: closed, or these blocks instead of the weekly ones.</summary>
public sealed class RosterException : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public Guid DiaryId { get; set; }

    public DateOnly Date { get; set; }

    public bool Closed { get; set; }

    /// <summary>Stored as jsonb: an exception's blocks are always written whole (created, or replaced by a change).</summary>
    public List<ExceptionBlock> Blocks { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One block of an exception's other hours; times as in <see cref="RosterBlock"/> (End may be 24:00).</summary>
public sealed record ExceptionBlock(TimeSpan Start, TimeSpan End, bool BookableOnline);

/// <summary>The business's booking rules; one row per tenant, defaults until the first change.</summary>
public sealed class BookingRules : ITenantOwned
{
    public static readonly int[] SlotIntervals = [5, 10, 15, 20, 30, 60];

    public const int DefaultSlotIntervalMinutes = 15;
    public const int DefaultMinimumNoticeMinutes = 60;
    public const int DefaultHorizonDays = 60;
    public const int MaxMinimumNoticeMinutes = 43_200;
    public const int MaxHorizonDays = 730;

    public Guid TenantId { get; set; }

    public int SlotIntervalMinutes { get; set; } = DefaultSlotIntervalMinutes;

    public int MinimumNoticeMinutes { get; set; } = DefaultMinimumNoticeMinutes;

    public int HorizonDays { get; set; } = DefaultHorizonDays;

    /// <summary>
    /// The day-before cut-off (decision 290): online bookings for a local date close at this local time the date before
    /// (so none on the same day); null for none. Stored as PostgreSQL <c>time</c>.
    /// </summary>
    public TimeOnly? DayBeforeCutoff { get; set; }

    /// <summary>The rules as other modules read them.</summary>
    public BookingRulesView ToView() =>
        new(SlotIntervalMinutes, MinimumNoticeMinutes, HorizonDays, DayBeforeCutoff?.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));

    public DateTimeOffset UpdatedAt { get; set; }
}
