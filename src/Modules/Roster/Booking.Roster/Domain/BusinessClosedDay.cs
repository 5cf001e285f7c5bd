using Booking.BuildingBlocks.Data;

namespace Booking.Roster.Domain;

/// <summary>
/// A local date the whole business is closed (Christmas, a public holiday): no diary has hours on it, whatever its weekly
/// roster or its own exception says, and a diary added later neither (decision 289). One per business and date; kept
/// apart from the diaries' own exceptions, so removing the closure leaves a stylist's own leave as it was.
/// </summary>
public sealed class BusinessClosedDay : ITenantOwned
{
    public const int MaxLabelLength = 100;

    public Guid TenantId { get; set; }

    public DateOnly Date { get; set; }

    /// <summary>What staff called it ("Christmas"); "" for none.</summary>
    public string Label { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
