using Booking.BuildingBlocks.Problems;

namespace Booking.Roster.Features;

internal static class RouteIds
{
    /// <summary>A malformed id answers exactly as a missing one: 404.</summary>
    public static Guid Parse(string? id, string what) =>
        ProblemException.IdOrNotFound(id, $"{what} not found.");
}
