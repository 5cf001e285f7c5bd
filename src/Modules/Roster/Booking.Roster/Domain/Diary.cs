using Booking.BuildingBlocks.Data;

namespace Booking.Roster.Domain;

/// <summary>A column in the appointment book: a practitioner or a room, with the address that hears about its bookings.</summary>
public sealed class Diary : ITenantOwned
{
    public Guid TenantId { get; set; }

    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string ContactEmail { get; set; } = "";

    public bool Active { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
