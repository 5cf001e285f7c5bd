using Booking.BuildingBlocks.Data;

namespace Booking.Services.Domain;

/// <summary>Something a client can book. Retired, not deleted: past appointments keep pointing at it.</summary>
public sealed class Service : ITenantOwned
{
    public const int MinDuration = 5;
    public const int MaxDuration = 480;
    public const int MaxBuffer = 480;
    public const int MaxForSpecies = 10;
    public const int MaxSpeciesLength = 40;

    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string Description { get; set; } = "";

    public int DurationMinutes { get; set; }

    public int BufferAfterMinutes { get; set; }

    /// <summary>In the tenant's currency (a business cannot change currency), with at most its ISO 4217 minor units (JPY 0, AUD 2, KWD 3; numeric(13,3)).</summary>
    public decimal PriceAmount { get; set; }

    public bool BookableOnline { get; set; }

    /// <summary>
    /// The animals the service is for (pets' species, as staff typed them, trimmed; "Dog", "Cat"); empty: any animal, or a
    /// service not about pets. Compared with a pet's species in any case (<see cref="Contracts.SpeciesFit"/>). text[].
    /// </summary>
    public List<string> ForSpecies { get; set; } = [];

    public DateTimeOffset? RetiredAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<ServiceDiary> Diaries { get; set; } = [];
}

/// <summary>A diary (Roster module, referenced by id only) that provides the service online.</summary>
public sealed class ServiceDiary : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid ServiceId { get; set; }

    public Guid DiaryId { get; set; }
}
