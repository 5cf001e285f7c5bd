namespace Booking.BuildingBlocks.Tenancy;

/// <summary>
/// The facts about a business that request handling needs; never secrets. <see cref="Address"/>: its postal address
/// (Setup → Business details), lines separated by "\n", or null when it gave none (decision 274).
/// </summary>
public sealed record TenantInfo(Guid Id, string Slug, string Name, string TimeZone, string CountryCode, string Currency, bool Active, string? Address = null);

/// <summary>The tenant of the current unit of work (a request or a background job), set once.</summary>
public interface ITenantContext
{
    TenantInfo? Current { get; }

    Guid? TenantId => Current?.Id;

    void Set(TenantInfo tenant);
}

public sealed class TenantContext : ITenantContext
{
    public TenantInfo? Current { get; private set; }

    public void Set(TenantInfo tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        if (Current is not null && Current.Id != tenant.Id)
        {
            throw new InvalidOperationException("The tenant of this unit of work is already set to another tenant.");
        }

        Current = tenant;
    }
}

/// <summary>Finds tenants by slug or id. Implemented by the Tenancy module, cached.</summary>
public interface ITenantDirectory
{
    ValueTask<TenantInfo?> FindBySlugAsync(string slug, CancellationToken cancellationToken);

    ValueTask<TenantInfo?> FindByIdAsync(Guid id, CancellationToken cancellationToken);

    void Invalidate(TenantInfo tenant);

    IAsyncEnumerable<Guid> ActiveTenantIdsAsync(CancellationToken cancellationToken);

    /// <summary>Every business, suspended ones too (work that must reach them all, such as ending links when keys are revoked).</summary>
    IAsyncEnumerable<Guid> AllTenantIdsAsync(CancellationToken cancellationToken);
}
