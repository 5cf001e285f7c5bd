using Booking.BuildingBlocks.Data;

namespace Booking.Roster.Domain;

/// <summary>
/// The business's hours version (decision 347): one row per tenant, none until the first save that cuts hours. Every such
/// save (the ones that take <see cref="TransactionLocks.HoursKey"/> EXCLUSIVE) raises it in the same command as the lock
/// (<see cref="Data.HoursVersions.LockHoursAndRaiseVersionAsync"/>); the roster snapshot reads it first, so the hours it holds are never
/// older than its version says; a portal booking's limit statement reads it again under the lock SHARED and compares.
/// </summary>
public sealed class HoursVersion : ITenantOwned
{
    public Guid TenantId { get; set; }

    public long Version { get; set; }
}
