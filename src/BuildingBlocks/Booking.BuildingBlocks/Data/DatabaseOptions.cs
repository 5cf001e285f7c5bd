namespace Booking.BuildingBlocks.Data;

/// <summary>
/// Two roles: the app connects as one that owns no table and cannot bypass row-level security;
/// migrations run as the owner. ConnectionStrings:Booking and ConnectionStrings:BookingOwner.
/// </summary>
public sealed class DatabaseOptions
{
    public required string AppConnectionString { get; init; }

    /// <summary>Null where this process may not migrate (the owner's credentials are not configured).</summary>
    public string? OwnerConnectionString { get; init; }

    /// <summary>The role the app connects as; granted table rights by the migrator.</summary>
    public required string AppRole { get; init; }
}
