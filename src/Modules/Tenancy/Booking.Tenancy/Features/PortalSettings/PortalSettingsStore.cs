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
/// The entry is kept per country too: the view is worked out with the business's country (its usual clock, how its
/// contact phone is written, the SMS countries of a business that saved none), and a change of the country (Setup →
/// Business details, which may also change the saved SMS countries) reaches every instance at once through the tenant
/// directory, so the next read there misses and loads the row afresh.
/// </summary>
public sealed class PortalSettingsStore(TenancyDbContext db, ITenantContext tenant, IMemoryCache cache)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public async ValueTask<PortalSettingsView> GetAsync(CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("No tenant is set.");
        var country = tenant.Current?.CountryCode ?? "";
        if (cache.TryGetValue(Key(tenantId, country), out PortalSettingsView? cached) && cached is not null)
        {
            return cached;
        }

        var row = await db.PortalSettings.AsNoTracking().FirstOrDefaultAsync(cancellationToken) ?? new Domain.PortalSettings();
        var view = row.ToView(country);
        cache.Set(Key(tenantId, country), view, Lifetime);
        return view;
    }

    /// <summary>Drops the current business's entry (under its country as this request knows it) and the one under <paramref name="country"/>, if given.</summary>
    public void Invalidate(Guid tenantId, string? country = null)
    {
        cache.Remove(Key(tenantId, tenant.Current?.CountryCode ?? ""));
        if (country is not null)
        {
            cache.Remove(Key(tenantId, country));
        }
    }

    private static string Key(Guid tenantId, string country) => $"portal-settings:{tenantId}:{country}";
}

/// <summary>The portal is open when the business's settings say so.</summary>
public sealed class PortalSettingsGate(PortalSettingsStore store) : IPortalGate
{
    public async ValueTask<bool> IsEnabledAsync(CancellationToken cancellationToken) =>
        (await store.GetAsync(cancellationToken)).Enabled;
}
