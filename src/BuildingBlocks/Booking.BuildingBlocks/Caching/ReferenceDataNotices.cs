using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Booking.BuildingBlocks.Caching;

/// <summary>
/// Tells every instance (this one included) that a tenant's area of <see cref="ReferenceDataCache"/> changed: a
/// <c>pg_notify</c> on <see cref="ReferenceDataCache.Channel"/>, delivered when the caller's transaction commits (at once
/// without one). One statement for every module that announces a change, so the channel and payload cannot drift apart.
/// Never the request's token: the change is saved (or will be with the caller's transaction), and other instances must
/// hear of it even if the client has gone.
/// </summary>
public static class ReferenceDataNotices
{
    private const string Notify = "SELECT pg_notify({0}, {1})";

    public static Task AnnounceChangeAsync(this DatabaseFacade database, string area, Guid tenantId) =>
        database.ExecuteSqlRawAsync(Notify, [ReferenceDataCache.Channel, ReferenceDataCache.Payload(area, tenantId)], CancellationToken.None);

    /// <summary>The same, for a synchronous save.</summary>
    public static void AnnounceChange(this DatabaseFacade database, string area, Guid tenantId) =>
        database.ExecuteSqlRaw(Notify, ReferenceDataCache.Channel, ReferenceDataCache.Payload(area, tenantId));
}
