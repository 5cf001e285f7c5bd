using Booking.BuildingBlocks.Data;

namespace Booking.Roster.Domain;

/// <summary>A weekly block of a diary's working time, in the business's local time.</summary>
public sealed class RosterBlock : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public Guid DiaryId { get; set; }

    public DayOfWeek Weekday { get; set; }

    public TimeOnly Start { get; set; }

    public TimeOnly End { get; set; }

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

public sealed record ExceptionBlock(TimeOnly Start, TimeOnly End, bool BookableOnline);

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

    public DateTimeOffset UpdatedAt { get; set; }
}
