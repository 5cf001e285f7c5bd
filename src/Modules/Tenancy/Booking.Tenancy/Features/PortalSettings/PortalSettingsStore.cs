using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Booking.Tenancy.Features.PortalSettings;

/// <summary>
/// Reads the current business's portal settings, cached briefly: every portal request asks the gate, and
/// booking asks for the policy. A change here clears the entry at once; other instances see it within the lifetime.
/// </summary>
public sealed class PortalSettingsStore(TenancyDbContext db, ITenantContext tenant, IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public async ValueTask<PortalSettingsView> GetAsync(CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("No tenant is set.");
        if (cache.TryGetValue(Key(tenantId), out PortalSettingsView? cached) && cached is not null)
        {
            return cached;
        }

        var row = await db.PortalSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new Domain.PortalSettings();
        var view = row.ToView(tenant.Current?.CountryCode ?? "");
        cache.Set(Key(tenantId), view, Lifetime);
        return view;
    }

    public void Invalidate(Guid tenantId) => cache.Remove(Key(tenantId));

    private static string Key(Guid tenantId) => "portal-settings:" + tenantId;
}

/// <summary>The portal is open when the business's settings say so.</summary>
public sealed class PortalSettingsGate(PortalSettingsStore store) : IPortalGate
{
    public async ValueTask<bool> IsEnabledAsync(CancellationToken cancellationToken) =>
        (await store.GetAsync(cancellationToken)).Enabled;
}
