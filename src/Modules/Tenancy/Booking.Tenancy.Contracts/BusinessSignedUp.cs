using Booking.BuildingBlocks.Contracts;

namespace Booking.Tenancy.Contracts;

/// <summary>A new business exists, with its owner. Other modules give it their defaults.</summary>
public sealed record BusinessSignedUp(Guid EventId, Guid TenantId, string Slug, string Name, string TimeZone, string OwnerEmail) : IIntegrationEvent;
