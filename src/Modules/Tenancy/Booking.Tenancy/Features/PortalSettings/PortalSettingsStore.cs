using Booking.BuildingBlocks.Caching;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Contracts;
using Booking.Tenancy.Data;
using Microsoft.EntityFrameworkCore;

namespace Booking.Tenancy.Features.PortalSettings;

/// <summary>
/// Reads the current business's portal settings, cached: every portal request asks the gate, and booking asks for the
/// policy. Kept in the reference-data cache (<see cref="ReferenceDataCache"/>), so a change (<see cref="DropAsync"/>)
/// drops the entry at once here and, through the notification delivered when it commits, on every instance; and a read
/// that loaded the row before the change is returned but not kept, so it cannot put the old settings back (an email
/// job reading them while the owner saved a contact email went on sending without the Reply-To for the entry's life).
/// The entry is kept per country too: the view is worked out with the business's country (its usual clock, how its
/// contact phone is written, the SMS countries of a business that saved none), and a change of the country (Setup →
/// Business details, which may also change the saved SMS countries) drops the entries under the old and the new one.
/// </summary>
public sealed class PortalSettingsStore(TenancyDbContext db, ITenantContext tenant, ReferenceDataCache cache)
{
    /// <summary>The reference-data area of the settings worked out for <paramref name="country"/>.</summary>
    public static string Area(string country) => $"tenancy-portal-settings-{country}";

    public ValueTask<PortalSettingsView> GetAsync(CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("No tenant is set.");
        var country = tenant.Current?.CountryCode ?? "";
        return cache.GetOrLoadAsync(Area(country), tenantId, async token =>
            (await db.PortalSettings.AsNoTracking().FirstOrDefaultAsync(token) ?? new Domain.PortalSettings()).ToView(country), cancellationToken);
    }

    /// <summary>
    /// After the current business's settings were saved: drops its entry (under its country as this request knows it, and
    /// under <paramref name="country"/> if given) here at once and, by the notification, on every instance.
    /// </summary>
    public async Task DropAsync(Guid tenantId, string? country = null)
    {
        foreach (var area in new[] { tenant.Current?.CountryCode ?? "", country }.OfType<string>().Distinct(StringComparer.Ordinal).Select(Area))
        {
            cache.Invalidate(area, tenantId);
            await db.Database.AnnounceChangeAsync(area, tenantId);
        }
    }
}

/// <summary>The portal is open when the business's settings say so.</summary>
public sealed class PortalSettingsGate(PortalSettingsStore store) : IPortalGate
{
    public async ValueTask<bool> IsEnabledAsync(CancellationToken cancellationToken) =>
        (await store.GetAsync(cancellationToken)).Enabled;
}
