using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Tenancy;

namespace Booking.Tenancy.Domain;

public enum TenantStatus
{
    Active,
    Suspended,
}

/// <summary>A business on the platform. The tenant table itself is platform-wide: it is how tenants are found.</summary>
[CrossTenant("The directory of tenants: resolving ?name= reads it before any tenant is known.")]
public sealed class Tenant
{
    public Guid Id { get; set; }

    /// <summary>Lower case; unique.</summary>
    public string Slug { get; set; } = "";

    public string Name { get; set; } = "";

    /// <summary>IANA zone id, e.g. Australia/Sydney.</summary>
    public string TimeZone { get; set; } = "";

    /// <summary>ISO 3166-1 alpha-2: the default region for phone numbers.</summary>
    public string CountryCode { get; set; } = "";

    /// <summary>ISO 4217.</summary>
    public string Currency { get; set; } = "";

    /// <summary>
    /// The postal address clients come to (Setup → Business details): up to 300 characters, its lines separated by
    /// "\n", each trimmed, blank lines left out; null when none. Shown in client emails and the .ics LOCATION (decision 274).
    /// </summary>
    public string? Address { get; set; }

    public TenantStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public TenantInfo ToInfo() => new(Id, Slug, Name, TimeZone, CountryCode, Currency, Status == TenantStatus.Active, Address);
}
