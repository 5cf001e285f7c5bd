using Booking.BuildingBlocks.Data;

namespace Booking.Roster.Domain;

/// <summary>A column in the appointment book: a practitioner or a room, with the address that hears about its bookings.</summary>
public sealed class Diary : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    /// <summary>"" when the diary has none: only a room or equipment (<see cref="Kind"/> resource) may have none.</summary>
    public string ContactEmail { get; set; } = "";

    /// <summary>A person or a room or equipment (<see cref="Booking.Roster.Contracts.DiaryKinds"/>): how the diary is named to people.</summary>
    public string Kind { get; set; } = Booking.Roster.Contracts.DiaryKinds.Person;

    public bool Active { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
